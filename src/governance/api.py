"""Governance API (/api/v1/governance): committees, the region's configuration check, protocol indicators.

Private (signed-in session): committee compositions name people. Members' e-mail addresses are never exposed.
"""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth
from pydantic import Field

from governance import selectors, services
from governance.models import Committee, Indicator, Level, Protocol
from territories.models import Region

API_PREFIX = "/governance"
router = Router(tags=["gouvernance"], auth=django_auth)


class CommitteeItem(Schema):
    id: int
    name: str
    level: str
    territory: str
    region: str | None
    departement: str | None
    parent_id: int | None
    is_example: bool


class MemberOut(Schema):
    full_name: str
    college: str
    capacity: str
    institution: str
    seat: str
    substitute_for: str | None
    chair: str
    has_vote: bool
    mandate_start: date
    mandate_end: date
    mandate_state: str = Field(description="current, expiring, expired or future")


class CommitteeOut(CommitteeItem):
    co_presidency_problems: list[str]
    max_members: int
    members: list[MemberOut]


def _item(committee: Committee) -> dict:
    return {
        "id": committee.pk,
        "name": committee.name,
        "level": committee.level,
        "territory": committee.territory_label,
        "region": committee.region_id,
        "departement": committee.departement_id,
        "parent_id": committee.parent_id,
        "is_example": committee.is_example,
    }


@router.get("/committees", response=list[CommitteeItem], summary="Comités pour l'emploi")
@paginate(LimitOffsetPagination)
def committees(request, level: Level | None = None, region: str = ""):
    queryset = Committee.objects.select_related("region", "departement", "zone_emploi", "bassin", "epci")
    if level:
        queryset = queryset.filter(level=level)
    if region:
        queryset = queryset.filter(region_id=region)
    return [_item(c) for c in queryset.order_by("level", "name")]


@router.get("/committees/{committee_id}", response=CommitteeOut, summary="Un comité et sa composition")
def committee(request, committee_id: int):
    committee = get_object_or_404(Committee, pk=committee_id)
    today = timezone.localdate()
    members = committee.members.select_related("organisation", "substitute_for").order_by(
        "college", "full_name"
    )
    return {
        **_item(committee),
        "co_presidency_problems": selectors.composition(committee, on=today)["chair_problems"],
        "max_members": services.max_members(committee),
        "members": [
            {
                "full_name": m.full_name,
                "college": m.college,
                "capacity": m.capacity,
                "institution": m.institution_label,
                "seat": m.seat,
                "substitute_for": m.substitute_for.full_name if m.substitute_for_id else None,
                "chair": m.chair,
                "has_vote": m.has_vote,
                "mandate_start": m.mandate_start,
                "mandate_end": m.mandate_end,
                "mandate_state": services.expiry_state(m, on=today),
            }
            for m in members
        ],
    }


class CheckPointOut(Schema):
    label: str
    passed: bool
    detail: str


@router.get(
    "/configuration-check/{region_code}",
    response=list[CheckPointOut],
    summary="Vérification de la configuration d'une région au regard du protocole",
)
def configuration_check(request, region_code: str):
    region = get_object_or_404(Region, pk=region_code)
    return [
        {"label": p.label, "passed": p.passed, "detail": p.detail}
        for p in selectors.configuration_check(region=region, on=timezone.localdate())
    ]


class PointOut(Schema):
    date: date
    value: Decimal


class IndicatorOut(Schema):
    id: int
    commitment: int
    name: str
    unit: str
    source: str
    query_name: str
    bassin: str | None
    live_value: Decimal | None = Field(description="Valeur calculée à l'instant (indicateurs calculés)")
    unavailable: str = Field(description="Pourquoi la valeur n'est pas disponible, sinon vide")
    series: list[PointOut]
    targets: list[PointOut]
    on_track: bool | None


@router.get("/protocols/{slug}/indicators", response=list[IndicatorOut], summary="Indicateurs d'un protocole")
def protocol_indicators(request, slug: str):
    protocol = get_object_or_404(Protocol, slug=slug)
    today = timezone.localdate()
    indicators = Indicator.objects.filter(commitment__protocol=protocol).select_related(
        "commitment__protocol__region"
    )
    views = [
        selectors.indicator_view(i, on=today) for i in indicators.prefetch_related("measurements", "targets")
    ]
    return [
        {
            "id": v.indicator.pk,
            "commitment": v.indicator.commitment.number,
            "name": v.indicator.name,
            "unit": v.indicator.unit,
            "source": v.indicator.source,
            "query_name": v.indicator.query_name,
            "bassin": v.indicator.bassin_id,
            "live_value": v.live_value,
            "unavailable": v.unavailable,
            "series": [{"date": d, "value": x} for d, x in v.series],
            "targets": [{"date": d, "value": x} for d, x in v.targets],
            "on_track": v.on_track,
        }
        for v in views
    ]
