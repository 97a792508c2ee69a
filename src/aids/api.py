"""Aids API (/api/v1/aids/): evaluate one situation or a batch, and read the catalogue. Public.

Invalid situations get a 422 whose details name each field ("body.situation.person.birth_date") and the problem.
"""

from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from aids.models import Aid
from aids.selectors import filter_catalogue
from aids.services import evaluate_many
from aids.situations_json import parse_situation

API_PREFIX = "/aids/"
router = Router(tags=["aides à la mobilité"])

MAX_BATCH = 10_000


class PersonIn(Schema):
    birth_date: date | None = None
    age: int | None = Field(None, ge=0, le=120)
    status: (
        Literal["job_seeker", "employee", "apprentice", "student", "trainee", "self_employed", "inactive"]
        | None
    ) = None
    job_seeker_category: int | None = Field(None, ge=1, le=8)
    registration_date: date | None = None
    allowance: Literal["none", "are", "ass", "rsa", "other"] | None = None
    allowance_daily_amount: float | None = Field(None, ge=0)
    household: Literal["single", "couple"] | None = None
    children_ages: list[int] | None = Field(None, description="Âges en années (0 à 29)")
    monthly_income: float | None = Field(None, ge=0)
    household_monthly_income: float | None = Field(None, ge=0)
    reference_tax_income: float | None = Field(None, ge=0)
    attached_to_parents: bool | None = None
    partner_working: bool | None = None
    residence_commune: str | None = Field(None, description="Code INSEE")
    driving_licence: bool | None = None
    vehicle: bool | None = None
    disability: bool | None = None
    mission_locale_follow_up: bool | None = None


class NeedIn(Schema):
    kind: Literal["interview", "training", "job_start"] | None = None
    place_commune: str | None = Field(None, description="Code INSEE du lieu")
    offer_id: str | None = Field(None, description="Offre du vivier régional")
    contract_type: Literal["cdi", "cdd", "ctt", "apprenticeship", "professionalisation"] | None = None
    contract_months: float | None = Field(None, ge=0)
    weekly_hours: float | None = Field(None, ge=0, le=80)
    training_hours: float | None = Field(None, ge=0)
    training_funded: bool | None = None
    start_date: date | None = None
    round_trips: int | None = Field(None, ge=0)
    meals: int | None = Field(None, ge=0)
    nights: int | None = Field(None, ge=0)


class SituationIn(Schema):
    person: PersonIn = PersonIn()
    need: NeedIn = NeedIn()
    evaluation_date: date | None = None
    received_last_12_months: dict[str, float] = {}


class QuestionOut(Schema):
    field: str
    question: str


class AidResultOut(Schema):
    id: str
    label: str
    institution: str
    status: Literal["eligible", "not_eligible", "undetermined"]
    amount: float | None
    amount_max: float | None
    periodicity: str
    reasons: list[str]
    missing: list[str]
    questions: list[QuestionOut]
    alternatives: list[str]


class EvaluationOut(Schema):
    aids: list[AidResultOut]


class BatchIn(Schema):
    situations: list[SituationIn] = Field(..., max_length=MAX_BATCH)


class AidOut(Schema):
    id: str
    label: str
    institution: str
    institution_kind: str
    theme: str
    region_codes: list[str]
    departement_codes: list[str]
    epci_codes: list[str]
    commune_codes: list[str]
    description: str
    conditions: list[str]
    rule_kind: str
    openfisca_variable: str
    amount_text: str
    amount_max: float | None
    periodicity: str
    how_to_apply: str
    teleservice_url: str
    instructed_by: str
    documents: list[str]
    non_cumulable_with: list[str]
    cumulation_note: str
    valid_from: date | None
    valid_until: date | None
    reference_urls: list[str]
    verified_on: date | None
    sources_note: str
    url: str

    @staticmethod
    def resolve_url(aid):
        return aid.get_absolute_url()


def _situations(items: list[SituationIn], prefix: list):
    situations, errors = [], []
    for index, item in enumerate(items):
        situation, item_errors = parse_situation(item.model_dump(mode="json"), index=index)
        situations.append(situation)
        for error in item_errors:
            location = [*prefix, *([index] if len(items) > 1 or prefix[-1] == "situations" else [])]
            errors.append({"loc": [*location, *error.field.split(".")], "msg": error.message})
    if errors:
        raise ValidationError(errors)
    return situations


@router.post("/evaluate", response=EvaluationOut, summary="Évaluer une situation pour chaque aide")
def evaluate_one(request, situation: SituationIn):
    [parsed] = _situations([situation], ["body", "situation"])
    [results] = evaluate_many(situations=[parsed])
    return {"aids": [r.as_dict() for r in results]}


@router.post(
    "/evaluate/batch",
    response=list[EvaluationOut],
    summary="Évaluer une liste de situations (une simulation)",
)
def evaluate_batch(request, batch: BatchIn):
    situations = _situations(batch.situations, ["body", "batch", "situations"])
    return [{"aids": [r.as_dict() for r in results]} for results in evaluate_many(situations=situations)]


@router.get("/catalogue", response=list[AidOut], summary="Catalogue des aides publiées")
@paginate(LimitOffsetPagination)
def catalogue(request, theme: str = "", departement: str = "", commune: str = "", q: str = ""):
    return filter_catalogue(theme=theme, departement=departement, commune=commune, query=q)


@router.get("/catalogue/{aid_id}", response=AidOut, summary="Une aide du catalogue")
def catalogue_detail(request, aid_id: str):
    return get_object_or_404(Aid, pk=aid_id, is_published=True)
