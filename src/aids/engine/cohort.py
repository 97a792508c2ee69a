"""A list of situations as column arrays: what the OpenFisca simulation and the condition checks read.

Built once per batch; every field has a value array (a neutral default where unknown) and a `known` mask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from aids.distances import communes, estimate_travel
from aids.situations import ContractType, Household, NeedKind, Situation, Status

AID_MOBILITY = "france-travail-aide-mobilite"
AID_CHILDCARE_FT = "france-travail-aide-garde-enfants"


def _tri(values) -> np.ndarray:
    """None / False / True as -1 / 0 / 1."""
    return np.array([-1 if v is None else int(bool(v)) for v in values], dtype=np.int8)


def _floats(values) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _strings(values) -> np.ndarray:
    return np.array([("" if v is None else str(v)) for v in values], dtype=object)


@dataclass
class Cohort:
    size: int
    month: str  # OpenFisca period, "YYYY-MM"
    day: date
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    known: dict[str, np.ndarray] = field(default_factory=dict)
    children: list[list[int]] = field(default_factory=list)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]


def _resolve_offers(situations: list[Situation]) -> None:
    """Fill a need's place, contract and hours from the pool's job offer it names, when not given."""
    ids = {s.need.offer_id for s in situations if s.need.offer_id}
    if not ids:
        return
    from offers.models import Offer

    contract = {"CDI": ContractType.CDI, "CDD": ContractType.CDD, "INTERIM": ContractType.CTT}
    offers = {
        str(o.pk): o
        for o in Offer.objects.filter(pk__in=[i for i in ids if str(i).isdigit()]).only(
            "commune_id", "contract_type", "contract_duration_months", "weekly_hours"
        )
    }
    for situation in situations:
        offer = offers.get(str(situation.need.offer_id))
        if offer is None:
            continue
        need = situation.need
        need.place_commune = need.place_commune or offer.commune_id
        need.contract_type = need.contract_type or contract.get(offer.contract_type)
        if need.contract_months is None:
            need.contract_months = offer.contract_duration_months
        if need.weekly_hours is None:
            need.weekly_hours = offer.weekly_hours


def build_cohort(situations: list[Situation], day: date) -> Cohort:
    """Column arrays for situations evaluated on `day` (all of the same month)."""
    _resolve_offers(situations)
    persons = [s.person for s in situations]
    needs = [s.need for s in situations]
    cohort = Cohort(size=len(situations), month=f"{day:%Y-%m}", day=day)
    c, k = cohort.columns, cohort.known

    ages = [p.age_on(day) for p in persons]
    c["age"] = _floats(ages)
    k["person.birth_date"] = ~np.isnan(c["age"])
    c["status"] = _strings(p.status for p in persons)
    k["person.status"] = c["status"] != ""
    c["category"] = np.array([p.job_seeker_category or 0 for p in persons], dtype=np.int16)
    k["person.job_seeker_category"] = c["category"] > 0
    c["registered_months"] = _floats(
        None if p.registration_date is None else (day - p.registration_date).days / (365.25 / 12)
        for p in persons
    )
    k["person.registration_date"] = ~np.isnan(c["registered_months"])
    c["allowance"] = _strings(p.allowance for p in persons)
    k["person.allowance"] = c["allowance"] != ""
    c["allowance_daily"] = _floats(p.allowance_daily_amount for p in persons)
    k["person.allowance_daily_amount"] = ~np.isnan(c["allowance_daily"])
    c["couple"] = _tri(None if p.household is None else p.household == Household.COUPLE for p in persons)
    k["person.household"] = c["couple"] >= 0
    cohort.children = [list(p.children_ages or []) for p in persons]
    k["person.children_ages"] = np.array([p.children_ages is not None for p in persons])
    for name, attribute in (
        ("monthly_income", "monthly_income"),
        ("household_income", "household_monthly_income"),
        ("tax_income", "reference_tax_income"),
    ):
        c[name] = _floats(getattr(p, attribute) for p in persons)
        k[f"person.{attribute}"] = ~np.isnan(c[name])
    for name, attribute in (
        ("attached", "attached_to_parents"),
        ("partner_working", "partner_working"),
        ("licence", "driving_licence"),
        ("vehicle", "vehicle"),
        ("disability", "disability"),
        ("mission_locale", "mission_locale_follow_up"),
    ):
        c[name] = _tri(getattr(p, attribute) for p in persons)
        k[f"person.{attribute}"] = c[name] >= 0

    homes = [p.residence_commune for p in persons]
    found = communes.places(homes)
    c["residence"] = _strings(homes)
    c["region"] = _strings(found[h].region if h in found else None for h in homes)
    c["departement"] = _strings(found[h].departement if h in found else None for h in homes)
    c["epci"] = _strings(found[h].epci if h in found else None for h in homes)
    c["commune"] = _strings(found[h].code if h in found else None for h in homes)
    k["person.residence_commune"] = c["commune"] != ""

    c["need"] = _strings(n.kind for n in needs)
    k["need.kind"] = c["need"] != ""
    c["contract"] = _strings(n.contract_type for n in needs)
    k["need.contract_type"] = c["contract"] != ""
    for name, attribute in (
        ("contract_months", "contract_months"),
        ("weekly_hours", "weekly_hours"),
        ("training_hours", "training_hours"),
    ):
        c[name] = _floats(getattr(n, attribute) for n in needs)
        k[f"need.{attribute}"] = ~np.isnan(c[name])
    c["training_funded"] = _tri(n.training_funded for n in needs)
    k["need.training_funded"] = c["training_funded"] >= 0
    c["start_date"] = np.array(
        [np.datetime64(n.start_date, "D") if n.start_date else np.datetime64(day, "D") for n in needs]
    )
    k["need.start_date"] = np.array([n.start_date is not None for n in needs])
    c["round_trips"] = np.array(
        [n.round_trips if n.round_trips is not None else 1 for n in needs], dtype=float
    )
    c["meals"] = np.array([n.meals or 0 for n in needs], dtype=np.int32)
    c["nights"] = np.array([n.nights or 0 for n in needs], dtype=np.int32)
    places = [n.place_commune for n in needs]
    found_places = communes.places(places)
    travel = estimate_travel(homes, places)
    c["road_km"], c["round_trip_minutes"] = travel.road_km, travel.round_trip_minutes
    k["need.place_commune"] = np.array([p in found_places for p in places])
    k["travel"] = travel.known

    c["received_mobility"] = np.array(
        [float(s.received_last_12_months.get(AID_MOBILITY, 0) or 0) for s in situations], dtype=float
    )
    c["received_childcare_ft"] = np.array(
        [bool(s.received_last_12_months.get(AID_CHILDCARE_FT)) for s in situations], dtype=bool
    )
    return cohort


STATUS_VALUES = {status.value for status in Status}
NEED_VALUES = {kind.value for kind in NeedKind}
