"""From a record and a need to the aid engine's `Situation`: the only place that maps our fields to its input."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import Organisation
from aids.situations import Allowance, ContractType, Household, NeedKind, Person, Situation, Status
from aids.situations import Need as SituationNeed
from jobseekers.models import JobSeeker, Need

_CATEGORIES = {"job_seeker_a": 1, "job_seeker_b": 2, "job_seeker_c": 3, "job_seeker_d": 4, "job_seeker_e": 5}
_STATUSES = {
    JobSeeker.Status.EMPLOYEE: Status.EMPLOYEE,
    JobSeeker.Status.APPRENTICE: Status.APPRENTICE,
    JobSeeker.Status.STUDENT: Status.STUDENT,
    JobSeeker.Status.TRAINEE: Status.TRAINEE,
    JobSeeker.Status.SELF_EMPLOYED: Status.SELF_EMPLOYED,
    JobSeeker.Status.OTHER: Status.INACTIVE,
}


def _float(value) -> float | None:
    return None if value is None else float(value)


def build_person(record: JobSeeker, *, on: date) -> Person:
    if record.status in _CATEGORIES:
        status, category = Status.JOB_SEEKER, _CATEGORIES[record.status]
    else:
        status, category = _STATUSES.get(record.status), None
    household = (
        None if record.lives_alone is None else (Household.SINGLE if record.lives_alone else Household.COUPLE)
    )
    follows = record.followups.active(on=on)
    return Person(
        birth_date=record.birth_date,
        status=status,
        job_seeker_category=category,
        registration_date=record.registration_date,
        allowance=Allowance(record.allowance) if record.allowance else None,
        allowance_daily_amount=_float(record.allowance_daily_amount),
        household=household,
        children_ages=record.children_ages_on(on),
        household_monthly_income=_float(record.household_monthly_income),
        residence_commune=record.commune_id,
        driving_licence=record.has_driving_licence,
        vehicle=record.has_vehicle,
        mission_locale_follow_up=follows.filter(organisation__kind=Organisation.Kind.MISSION_LOCALE).exists(),
    )


def build_situation(record: JobSeeker, need: Need, *, on: date | None = None) -> Situation:
    """The rules in force today (the day the advisor asks), for the person as recorded and the need described."""
    day = on or timezone.localdate()
    person = build_person(record, on=day)
    person.monthly_income = _float(need.monthly_salary)
    return Situation(
        person=person,
        need=SituationNeed(
            kind=NeedKind(need.kind),
            place_commune=need.place_commune_id,
            offer_id=str(need.offer_id) if need.offer_id else None,
            contract_type=ContractType(need.contract_type) if need.contract_type else None,
            contract_months=_float(need.contract_months),
            weekly_hours=_float(need.weekly_hours),
            training_hours=_float(need.training_hours),
            start_date=need.start_date,
            round_trips=need.round_trips,
            meals=need.meals,
            nights=need.nights,
        ),
        evaluation_date=day,
    )
