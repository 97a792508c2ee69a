"""Territories API (/api/v1/territories/): communes by code, by search, by radius; the region's territories.

Public reference data: no login needed.
"""

from django.conf import settings
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from territories import selectors
from territories.models import Bassin, Commune, Departement, Epci, ZoneEmploi

API_PREFIX = "/territories/"
router = Router(tags=["territoires"])
MAX_RADIUS_KM = 100.0


class CommuneOut(Schema):
    code: str = Field(description="Code INSEE (COG 2026)")
    name: str
    departement: str = Field(description="Code du département")
    departement_name: str
    region: str = Field(description="Code INSEE de la région")
    epci: str | None = Field(description="SIREN de l'EPCI à fiscalité propre")
    epci_name: str | None
    zone_emploi: str | None = Field(description="Code de la zone d'emploi 2020 (INSEE)")
    zone_emploi_name: str | None
    bassin: str | None = Field(description="Code du bassin d'emploi France Travail (BMO)")
    bassin_name: str | None
    population: int | None = Field(description="Population municipale légale")
    postal_codes: list[str]
    latitude: float | None
    longitude: float | None

    @staticmethod
    def from_commune(commune: Commune) -> "CommuneOut":
        return CommuneOut(
            code=commune.code,
            name=commune.name,
            departement=commune.departement_id,
            departement_name=commune.departement.name,
            region=commune.region_id,
            epci=commune.epci_id,
            epci_name=commune.epci.name if commune.epci else None,
            zone_emploi=commune.zone_emploi_id,
            zone_emploi_name=commune.zone_emploi.name if commune.zone_emploi else None,
            bassin=commune.bassin_id,
            bassin_name=commune.bassin.name if commune.bassin else None,
            population=commune.population,
            postal_codes=commune.postal_code_list,
            latitude=commune.latitude,
            longitude=commune.longitude,
        )


class CommuneItem(Schema):
    """A commune in a list; `label` is what the autocomplete shows, e.g. "Amiens (80)"."""

    code: str
    label: str
    name: str
    departement: str
    postal_codes: list[str]
    population: int | None
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_label(commune: Commune) -> str:
        return selectors.commune_label(commune)

    @staticmethod
    def resolve_departement(commune: Commune) -> str:
        return commune.departement_id

    @staticmethod
    def resolve_postal_codes(commune: Commune) -> list[str]:
        return commune.postal_code_list


class NearbyCommuneItem(CommuneItem):
    distance_km: float = Field(description="Distance à vol d'oiseau depuis le point demandé, en km")

    @staticmethod
    def resolve_distance_km(commune: Commune) -> float:
        return round(commune.distance_km, 2)


class CommuneFilters(Schema):
    q: str = Field("", description="Nom (sans accents, début de nom d'abord), code postal ou code INSEE")
    postal_code: str = Field("", description="Code postal exact ou début de code postal")
    departement: str = Field("", description="Code du département")


class NearFilters(Schema):
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    radius_km: float = Field(
        10.0, gt=0, le=MAX_RADIUS_KM, description=f"Rayon en km (au plus {MAX_RADIUS_KM:g})"
    )


class TerritoryItem(Schema):
    code: str
    name: str
    commune_count: int = Field(description="Nombre de communes (toutes régions confondues)")
    population: int | None = Field(description="Population municipale totale de ses communes")
    outside_region_count: int = Field(
        description="Communes hors de la région demandée (zones interrégionales)"
    )

    @staticmethod
    def resolve_code(obj) -> str:
        return obj.pk

    @staticmethod
    def resolve_outside_region_count(obj) -> int:
        return obj.outside_count


class DepartementItem(TerritoryItem):
    region: str
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class EpciItem(TerritoryItem):
    kind: str = Field(description="CC, CA, CU, METRO ou MET69")


class ScopeFilter(Schema):
    all: bool = Field(False, description="Toute la France au lieu de la région configurée")


def _scoped(model, scope: ScopeFilter):
    return selectors.territories_with_totals(model, region=None if scope.all else settings.REGION_CODE)


@router.get(
    "/communes",
    response=list[CommuneItem],
    summary="Rechercher des communes",
    description="Meilleure correspondance d'abord : nom exact, puis début de nom, puis mot du nom ; "
    "les chiffres cherchent codes postaux et codes INSEE. Sans `q`, liste filtrée par ordre de population.",
)
@paginate(LimitOffsetPagination)
def list_communes(request, filters: Query[CommuneFilters]):
    if filters.q.strip() or filters.departement or filters.postal_code:
        return selectors.search_communes(
            query=filters.q,
            limit=None,
            departement=filters.departement or None,
            postal_code=filters.postal_code.strip() or None,
        )
    return Commune.objects.select_related("departement").order_by("-population", "name", "code")


@router.get(
    "/communes/near",
    response=list[NearbyCommuneItem],
    summary="Communes autour d'un point",
    description="Communes dont le point (proche de la mairie) est à moins de `radius_km`, la plus proche d'abord.",
)
@paginate(LimitOffsetPagination)
def communes_near(request, filters: Query[NearFilters]):
    return selectors.communes_within(
        latitude=filters.latitude, longitude=filters.longitude, radius_km=filters.radius_km
    )


@router.get(
    "/communes/{insee_code}",
    response=CommuneOut,
    summary="Une commune par son code INSEE",
    description="Suit les codes d'arrondissement (Paris, Lyon, Marseille) et les anciens codes des communes "
    "fusionnées : la réponse porte alors le code de la commune actuelle.",
)
def get_commune(request, insee_code: str):
    commune = selectors.commune_by_code(insee_code)
    if commune is None:
        raise Http404(f"Aucune commune n'a le code INSEE « {insee_code} ».")
    commune = Commune.objects.select_related("departement", "epci", "zone_emploi", "bassin").get(
        pk=commune.pk
    )
    return CommuneOut.from_commune(commune)


@router.get(
    "/departements", response=list[DepartementItem], summary="Départements de la région (ou de France)"
)
@paginate(LimitOffsetPagination)
def list_departements(request, scope: Query[ScopeFilter]):
    return _scoped(Departement, scope).order_by("code")


@router.get("/epcis", response=list[EpciItem], summary="EPCI de la région (ou de France)")
@paginate(LimitOffsetPagination)
def list_epcis(request, scope: Query[ScopeFilter]):
    return _scoped(Epci, scope).order_by("name")


@router.get(
    "/zones-emploi", response=list[TerritoryItem], summary="Zones d'emploi 2020 de la région (ou de France)"
)
@paginate(LimitOffsetPagination)
def list_zones_emploi(request, scope: Query[ScopeFilter]):
    return _scoped(ZoneEmploi, scope).order_by("code")


@router.get(
    "/bassins",
    response=list[TerritoryItem],
    summary="Bassins d'emploi France Travail de la région (ou de France)",
)
@paginate(LimitOffsetPagination)
def list_bassins(request, scope: Query[ScopeFilter]):
    return _scoped(Bassin, scope).order_by("code")
