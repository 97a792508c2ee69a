"""The aids that lift the mobility barrier between a person and an offer, with the eligibility engine's answer
for that person and that offer (one batched simulation for every offer shown)."""

from __future__ import annotations

from django.utils import timezone

from aids.models import MOBILITY_THEMES, Aid
from aids.results import NOT_ELIGIBLE, AidResult
from aids.services import evaluate_many
from aids.situations import ContractType, Need, NeedKind, Situation
from jobseekers.models import JobSeeker
from jobseekers.simulation import build_person
from offers.models import Offer

# The offers' contract vocabulary (offers.canonical) mapped to the aids engine's.
CONTRACTS = {
    "CDI": ContractType.CDI,
    "CDD": ContractType.CDD,
    "SAISONNIER": ContractType.CDD,
    "INTERIM": ContractType.CTT,
    "ALTERNANCE": ContractType.APPRENTICESHIP,
}


def mobility_aids_for(*, record: JobSeeker, offers: list[Offer]) -> dict[int, list[AidResult]]:
    """{offer id: the mobility aids the person is eligible for, or may be (undetermined), for starting that job}."""
    aids = list(Aid.objects.filter(is_published=True, theme__in=MOBILITY_THEMES))
    if not aids or not offers:
        return {}
    today = timezone.localdate()
    person = build_person(record, on=today)
    situations = [
        Situation(
            person=person,
            need=Need(
                kind=NeedKind.JOB_START,
                place_commune=offer.commune_id,
                offer_id=str(offer.pk),
                contract_type=CONTRACTS.get(offer.contract_type),
                contract_months=offer.contract_duration_months,
                weekly_hours=offer.weekly_hours,
                start_date=today,
            ),
            evaluation_date=today,
        )
        for offer in offers
    ]
    results = evaluate_many(situations=situations, aids=aids)
    return {
        offer.pk: [result for result in offer_results if result.status != NOT_ELIGIBLE]
        for offer, offer_results in zip(offers, results, strict=True)
    }
