"""ROME 4.0 API (/api/v1/rome/): appellation search (the autocomplete), fiches, domains.

Public reference data: no login needed.
"""

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from rome import selectors
from rome.models import Appellation
from rome.search import search_appellations

API_PREFIX = "/rome/"
router = Router(tags=["ROME"])


class AppellationMatch(Schema):
    code_ogr: int = Field(description="Code OGR de l'appellation")
    label: str = Field(description="Libellé de l'appellation")
    rome_code: str = Field(description="Code de la fiche ROME 4.0")
    rome_label: str = Field(description="Intitulé de la fiche ROME 4.0")
    score: float = Field(description="Pertinence entre 0 et 1, la meilleure en premier")


class AppellationSearchOut(Schema):
    items: list[AppellationMatch]
    count: int


class AppellationSearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200, description="Texte saisi, avec ou sans accents ni fautes")
    limit: int = Field(10, ge=1, le=50)


class FicheRef(Schema):
    code: str
    label: str


class DomaineRef(Schema):
    code: str
    label: str


class FicheSummary(Schema):
    code: str
    label: str
    parent_code: str = Field(description="Code ROME v3 (fiche parente)")
    parent_label: str = Field(description="Intitulé ROME v3")
    domaine: DomaineRef
    grand_domaine: DomaineRef

    @staticmethod
    def resolve_grand_domaine(fiche) -> dict:
        if isinstance(fiche, dict):
            return fiche["grand_domaine"]
        return {"code": fiche.domaine.grand_domaine.code, "label": fiche.domaine.grand_domaine.label}


class AppellationOut(Schema):
    code_ogr: int
    label: str
    short_label: str
    is_principal: bool
    rarely_used: bool
    fiche: FicheSummary


class AppellationItem(Schema):
    code_ogr: int
    label: str
    is_principal: bool
    rarely_used: bool


class SkillItem(Schema):
    code_ogr: int
    label: str
    category: str
    is_core: bool = Field(description="Compétence cœur de métier")
    is_emerging: bool = Field(description="Compétence émergente")


class SkillsOut(Schema):
    savoir_faire: list[SkillItem]
    savoir_etre: list[SkillItem]
    savoir: list[SkillItem]


class MobilityItem(Schema):
    code: str
    label: str
    order: int


class FicheOut(FicheSummary):
    code_ogr: int
    definition: str
    access: str
    regulated: bool
    executive: bool
    appellations: list[AppellationItem]
    skills: SkillsOut
    mobilities: list[MobilityItem] = Field(description="Fiches vers lesquelles évoluer, par rang")
    incoming_mobilities: list[MobilityItem] = Field(description="Fiches depuis lesquelles on arrive")


class DomaineOut(Schema):
    code: str
    label: str
    fiche_count: int


class GrandDomaineOut(Schema):
    code: str
    label: str
    domaines: list[DomaineOut]


@router.get("/appellations", response=AppellationSearchOut, url_name="rome_appellations")
def appellations(request, filters: Query[AppellationSearchQuery]):
    """Appellations matching a free text, best first (typo-tolerant, accent-insensitive)."""
    items = [m.as_dict() for m in search_appellations(filters.q, limit=filters.limit)]
    return {"items": items, "count": len(items)}


@router.get("/appellations/{code_ogr}", response=AppellationOut, url_name="rome_appellation")
def appellation(request, code_ogr: int):
    queryset = Appellation.objects.select_related("fiche__domaine__grand_domaine")
    found = queryset.filter(code_ogr=code_ogr).first()
    if found is None:
        raise Http404(f"Aucune appellation de code OGR {code_ogr}.")
    return found


class FicheFilters(Schema):
    q: str = Field("", max_length=200, description="Code ROME (ou début de code) ou mots de l'intitulé")
    domaine: str = Field("", max_length=3, description="Code du domaine professionnel, ex. M18")
    grand_domaine: str = Field("", max_length=1, description="Code du grand domaine, ex. M")


@router.get("/fiches", response=list[FicheSummary], url_name="rome_fiches")
@paginate(LimitOffsetPagination)
def fiches(request, filters: Query[FicheFilters]):
    """Fiches métiers, filtered by text and domain."""
    return selectors.fiches(q=filters.q, domaine=filters.domaine, grand_domaine=filters.grand_domaine)


@router.get("/fiches/{code}", response=FicheOut, url_name="rome_fiche")
def fiche(request, code: str):
    """A fiche with its ROME v3 parent, domains, appellations, skills (by kind) and mobility links."""
    detail = selectors.fiche_detail(code)
    if detail is None:
        raise Http404(f"Aucune fiche ROME {code}.")
    f = detail.fiche

    def skill_items(kind):
        return [
            {
                "code_ogr": link.skill.code_ogr,
                "label": link.skill.label,
                "category": link.skill.category,
                "is_core": link.is_core,
                "is_emerging": link.is_emerging,
            }
            for link in detail.skills[kind]
        ]

    return {
        "code": f.code,
        "code_ogr": f.code_ogr,
        "label": f.label,
        "parent_code": f.parent_code,
        "parent_label": f.parent_label,
        "domaine": {"code": f.domaine.code, "label": f.domaine.label},
        "grand_domaine": {"code": f.domaine.grand_domaine.code, "label": f.domaine.grand_domaine.label},
        "definition": f.definition,
        "access": f.access,
        "regulated": f.regulated,
        "executive": f.executive,
        "appellations": detail.appellations,
        "skills": {kind: skill_items(kind) for kind in ("savoir_faire", "savoir_etre", "savoir")},
        "mobilities": [
            {"code": m.target.code, "label": m.target.label, "order": m.order} for m in detail.mobilities_out
        ],
        "incoming_mobilities": [
            {"code": m.source.code, "label": m.source.label, "order": m.order} for m in detail.mobilities_in
        ],
    }


@router.get("/domaines", response=list[GrandDomaineOut], url_name="rome_domaines")
def domaines(request):
    """The tree: grands domaines, their domaines professionnels and how many fiches each holds."""
    return [
        {
            "code": gd.code,
            "label": gd.label,
            "domaines": [
                {"code": d.code, "label": d.label, "fiche_count": d.fiche_count} for d in gd.domaine_list
            ],
        }
        for gd in selectors.domain_tree()
    ]
