"""Matching in both directions for advisors (session login): the same rules and audit as the pages."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from accounts.services import current_organisation
from jobseekers.selectors import acting_organisation, get_visible_record
from jobseekers.services import read_record
from matching import selectors
from matching.engine import CONTRACTS
from offers.models import Offer

API_PREFIX = "/matching/"
router = Router(tags=["mise en relation"], auth=django_auth)


class OfferMatchOut(Schema):
    offer_id: int
    title: str
    employer_name: str
    commune: str | None
    contract_type: str
    score: float
    reachable: bool
    mode: str | None
    minutes: float | None
    reasons: list[str]
    levers: list[str]


class PersonMatchOut(Schema):
    jobseeker_id: int
    name: str
    commune: str | None
    score: float
    minutes: float
    mode: str
    reasons: list[str]


@router.get(
    "/jobseekers/{jobseeker_id}/offers",
    response=list[OfferMatchOut],
    summary="Offres adaptées à une personne",
)
def offers_for_person(
    request,
    jobseeker_id: int,
    include_unreachable: bool = False,
    contract_type: str = "",
    departement: str = "",
    published_within_days: int | None = None,
    sort: Literal["", "time", "date"] = "",
):
    record = get_visible_record(request.user, jobseeker_id)
    organisation = acting_organisation(request.user, record, preferred=current_organisation(request))
    read_record(
        jobseeker=record,
        user=request.user,
        organisation=organisation,
        request=request,
        reason="offres adaptées (API)",
    )
    results = selectors.offers_for(
        record=record,
        include_unreachable=include_unreachable,
        filters={
            "contract_type": contract_type if contract_type in CONTRACTS else "",
            "departement_code": departement,
            "published_within_days": published_within_days,
            "sort": sort,
        },
    )
    return [
        {
            "offer_id": r.offer.pk,
            "title": r.offer.title,
            "employer_name": r.offer.employer_name,
            "commune": r.offer.commune_id,
            "contract_type": r.offer.contract_type,
            "score": r.match.score,
            "reachable": r.match.reachable,
            "mode": r.match.best_mode,
            "minutes": r.match.minutes,
            "reasons": r.match.reasons,
            "levers": r.match.levers,
        }
        for r in results
    ]


@router.get("/offers/{offer_id}/people", response=list[PersonMatchOut], summary="Personnes pour une offre")
def people_for_offer(request, offer_id: int):
    offer = get_object_or_404(Offer, pk=offer_id)
    people = selectors.people_for(user=request.user, offer=offer)
    organisation = current_organisation(request)
    for person in people:
        read_record(
            jobseeker=person["record"],
            user=request.user,
            organisation=organisation,
            request=request,
            reason=f"profils pour l'offre {offer.pk} (API)",
        )
    return [
        {
            "jobseeker_id": p["record"].pk,
            "name": f"{p['record'].first_name} {p['record'].last_name}",
            "commune": p["record"].commune_id,
            "score": p["score"],
            "minutes": p["minutes"],
            "mode": p["mode"],
            "reasons": p["reasons"],
        }
        for p in people
    ]
