"""Diagnosis API (/api/v1/diagnosis/): indicators by territory and occupation, datasets, joint action lines.
Private (session authentication), read-only: action lines are written through the pages."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from diagnosis.models import ActionLine, Dataset, Indicator, OccupationKind, TerritoryKind

API_PREFIX = "/diagnosis/"
router = Router(tags=["diagnostic territorial"], auth=django_auth)


class DatasetOut(Schema):
    code: str
    title: str
    producer: str
    vintage: str
    reference_date: date | None
    licence: str
    url: str
    row_count: int


class IndicatorOut(Schema):
    occupation_kind: str
    occupation_code: str
    occupation_label: str
    territory_kind: str
    territory_code: str
    territory_label: str
    offers: float | None
    open_offers: int | None
    job_seekers: float | None
    offers_per_job_seeker: float | None
    hiring_projects: float | None
    difficult_projects: float | None
    seasonal_projects: float | None
    share_difficult: float | None
    share_seasonal: float | None
    pool_offers: int | None
    time_to_fill_days: float | None
    share_without_candidates: float | None
    tension_score: float | None
    tension_class: int | None
    official_class: int | None
    in_official_list: bool
    training_places: int
    need_estimate: float | None
    coverage_gap: float | None
    significant: bool


class ActionLineOut(Schema):
    id: int
    title: str
    status: str
    occupation_kind: str
    occupation_code: str
    occupation_label: str
    territory_kind: str
    territory_code: str
    territory_label: str
    owner_id: int
    funding: str
    deadline: date
    target_indicator: str
    target_value: float
    baseline_value: float | None
    is_example: bool


@router.get("/datasets", response=list[DatasetOut], summary="Sources et millésimes des chiffres")
def datasets(request):
    return Dataset.objects.order_by("code")


@router.get("/indicators", response=list[IndicatorOut], summary="Indicateurs métier × territoire")
@paginate(LimitOffsetPagination)
def indicators(
    request,
    territory_kind: TerritoryKind,
    territory_code: str,
    occupation_kind: OccupationKind = OccupationKind.ROME3,
    occupation_code: str | None = None,
    significant_only: bool = False,
):
    """Sorted by decreasing composite tension (unknown last)."""
    rows = Indicator.objects.filter(
        territory_kind=territory_kind, territory_code=territory_code, occupation_kind=occupation_kind
    )
    if occupation_code:
        rows = rows.filter(occupation_code=occupation_code.upper())
    if significant_only:
        rows = rows.filter(significant=True)
    return rows.order_by("-significant", "-tension_score", "occupation_code")


@router.get("/action-lines", response=list[ActionLineOut], summary="Axes d'action communs")
@paginate(LimitOffsetPagination)
def action_lines(request, status: ActionLine.Status | None = None):
    rows = ActionLine.objects.order_by("-updated_at", "-pk")
    return rows.filter(status=status) if status else rows
