"""Job offers API (/api/v1/offers): search of the regional pool and one offer with its publications.

Public: job offers are public information, no login needed.
"""

from datetime import datetime
from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from offers import selectors
from offers.canonical import CONTRACT_TYPES
from offers.models import Offer, Publication

API_PREFIX = "/offers"  # no trailing slash: the list is GET /api/v1/offers
router = Router(tags=["offres d'emploi"])


class SearchQuery(Schema):
    q: str = Field(
        "", description="Mots-clés (recherche plein texte en français : accents et pluriels ignorés)"
    )
    rome: str = Field("", description="Code ROME 4.0 (ou code ROME v3 parent)")
    appellation: int | None = Field(None, description="Code OGR de l'appellation ROME")
    commune: str = Field("", description="Code INSEE de la commune (centre du rayon)")
    radius_km: float = Field(
        0, ge=0, le=selectors.MAX_RADIUS_KM, description="Rayon autour de la commune, en km"
    )
    departement: str = Field("", description="Code du département")
    bassin: str = Field("", description="Code du bassin d'emploi (BMO)")
    contract: list[Literal[CONTRACT_TYPES]] = Field([], description="Types de contrat (répétable)")  # type: ignore[valid-type]
    published_within_days: int | None = Field(
        None, ge=1, le=365, description="Publiées depuis N jours au plus"
    )
    source: list[str] = Field([], description="Sources / opérateurs (répétable)")
    sort: Literal["relevance", "date", "distance"] = "relevance"
    limit: int = Field(20, ge=1, le=selectors.MAX_PER_PAGE)
    offset: int = Field(0, ge=0)


class FacetOut(Schema):
    value: str
    label: str
    count: int


class OfferItem(Schema):
    id: int
    title: str
    employer_name: str
    commune: str | None = Field(description="Code INSEE")
    commune_name: str | None
    departement: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None = Field(description="Distance à la commune de recherche")
    contract_type: str
    working_time: str
    salary_text: str
    rome_code: str
    rome_label: str | None
    published_at: datetime | None
    operators: list[str]
    publication_count: int
    url: str = Field(description="Page de l'offre sur la plateforme")

    @staticmethod
    def build(offer: Offer) -> "OfferItem":
        return OfferItem(
            id=offer.pk,
            title=offer.title,
            employer_name=offer.employer_name,
            commune=offer.commune_id,
            commune_name=offer.commune.name if offer.commune else None,
            departement=offer.departement_code,
            latitude=offer.latitude,
            longitude=offer.longitude,
            distance_km=round(offer.distance_km, 1)
            if getattr(offer, "distance_km", None) is not None
            else None,
            contract_type=offer.contract_type,
            working_time=offer.working_time,
            salary_text=offer.salary_text,
            rome_code=offer.rome_code,
            rome_label=offer.fiche.label if offer.fiche else None,
            published_at=offer.published_at,
            operators=offer.operators,
            publication_count=offer.publication_count,
            url=offer.get_absolute_url(),
        )


class SearchOut(Schema):
    count: int = Field(description="Nombre d'offres trouvées (exact sauf quand count_is_exact est faux)")
    count_is_exact: bool = Field(
        description="Vrai quand count et les facettes portent sur toutes les offres trouvées (toujours avec "
        "l'index de recherche). Faux quand la recherche passe par la base de données (index en reconstruction) "
        f"et que plus de {selectors.MATCHES_READ} offres correspondent : count vaut alors "
        f"{selectors.MATCHES_READ}, seules les {selectors.MATCHES_READ} premières dans l'ordre demandé sont "
        "paginées et les facettes décrivent les offres lues ; précisez la recherche pour tout voir."
    )
    limit: int
    offset: int
    sort: str
    items: list[OfferItem]
    facets: dict[str, list[FacetOut]]


class PublicationOut(Schema):
    source: str
    operator: str
    owner: str | None = Field(description="Organisation partenaire propriétaire de la source")
    source_id: str
    title: str
    url: str
    published_at: datetime | None
    closed_at: datetime | None
    rome_code: str
    rome_confidence: float | None
    rome_origin: str
    rome_disagreement: bool
    dedup_signals: dict

    @staticmethod
    def build(publication: Publication) -> "PublicationOut":
        return PublicationOut(
            source=publication.source.name,
            operator=publication.source.display_name,
            owner=publication.source.owner.name if publication.source.owner else None,
            source_id=publication.external_id,
            title=publication.title,
            url=publication.url,
            published_at=publication.published_at,
            closed_at=publication.closed_at,
            rome_code=publication.rome_code,
            rome_confidence=publication.rome_confidence,
            rome_origin=publication.rome_origin,
            rome_disagreement=publication.rome_disagreement,
            dedup_signals=publication.dedup_signals or {},
        )


class OfferOut(OfferItem):
    status: str
    description: str
    siret: str
    siret_valid: bool | None
    naf: str
    contract_duration_months: float | None
    weekly_hours: float | None
    salary_min: float | None
    salary_max: float | None
    salary_period: str
    experience: str
    qualification: str
    updated_at: datetime | None
    expires_at: datetime | None
    appellation: int | None
    appellation_label: str | None
    rome_confidence: float | None
    positions: int
    publications: list[PublicationOut]


@router.get("", response=SearchOut, summary="Rechercher des offres", auth=None)
def search(request, query: Query[SearchQuery]):
    params = selectors.SearchParams(
        q=query.q,
        rome=query.rome,
        appellation=query.appellation,
        commune=query.commune,
        radius_km=query.radius_km,
        departement=query.departement,
        bassin=query.bassin,
        contract=list(query.contract),
        published_within_days=query.published_within_days,
        source=query.source,
        sort=query.sort,
        page=query.offset // query.limit + 1,
        per_page=query.limit,
    )
    result = selectors.search_offers(params)
    return SearchOut(
        count=result.total,
        count_is_exact=result.total_is_exact,
        limit=query.limit,
        offset=(result.page - 1) * result.per_page,
        sort=result.sort,
        items=[OfferItem.build(offer) for offer in result.items],
        facets={
            name: [FacetOut(value=f.value, label=f.label, count=f.count) for f in values]
            for name, values in result.facets.items()
        },
    )


@router.get("/{offer_id}", response=OfferOut, summary="Une offre et ses publications", auth=None)
def detail(request, offer_id: int):
    offer = selectors.offer_detail(offer_id)
    if offer is None:
        raise Http404(f"Aucune offre n° {offer_id}.")
    item = OfferItem.build(offer).dict()
    return OfferOut(
        **item,
        status=offer.status,
        description=offer.description,
        siret=offer.siret,
        siret_valid=offer.siret_valid,
        naf=offer.naf,
        contract_duration_months=offer.contract_duration_months,
        weekly_hours=offer.weekly_hours,
        salary_min=offer.salary_min,
        salary_max=offer.salary_max,
        salary_period=offer.salary_period,
        experience=offer.experience,
        qualification=offer.qualification,
        updated_at=offer.updated_at,
        expires_at=offer.expires_at,
        appellation=offer.appellation_id,
        appellation_label=offer.appellation.label if offer.appellation else None,
        rome_confidence=offer.rome_confidence,
        positions=offer.positions,
        publications=[PublicationOut.build(p) for p in offer.publications.all()],
    )
