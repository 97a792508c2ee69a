"""Writes for matching: the search profile and referrals, every change audited like the record itself."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from accounts.models import Organisation, User
from audit.models import AuditEntry
from audit.services import diff_fields, record
from jobseekers.models import JobSeeker
from matching.models import Referral, ReferralEvent, SearchProfile
from offers.models import Offer

PROFILE_FIELDS = [
    "experience",
    "contract_types",
    "working_time",
    "available_from",
    "uses_car",
    "uses_two_wheeler",
    "uses_public_transport",
    "uses_bike",
    "walks",
    "max_commute_minutes",
    "barriers",
]


@transaction.atomic
def save_profile(
    *,
    jobseeker: JobSeeker,
    data: dict,
    appellations: list,
    skills: list | None,
    user: User,
    organisation: Organisation,
    request: HttpRequest | None = None,
) -> SearchProfile:
    profile = SearchProfile.objects.filter(jobseeker=jobseeker).first()
    before = None
    if profile is not None:
        before = SearchProfile(**{name: getattr(profile, name) for name in PROFILE_FIELDS})
        before_occupations = sorted(a.pk for a in profile.appellations.all())
        before_skills = sorted(profile.skills.values_list("pk", flat=True))
    else:
        profile = SearchProfile(jobseeker=jobseeker)
        before_occupations, before_skills = [], []
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    profile.save()
    profile.appellations.set(appellations)
    wanted_fiches = {a.fiche_id for a in appellations}
    if skills is not None:
        # Skills only make sense for the occupations still wanted.
        profile.skills.set([s for s in skills if s.fiche_links.filter(fiche_id__in=wanted_fiches).exists()])
    changes = diff_fields(before, profile, PROFILE_FIELDS)
    after_occupations = sorted(a.pk for a in appellations)
    if after_occupations != before_occupations:
        changes["appellations"] = [str(before_occupations), str(after_occupations)]
    after_skills = sorted(profile.skills.values_list("pk", flat=True))
    if after_skills != before_skills:
        changes["skills"] = [str(before_skills), str(after_skills)]
    record(
        action=AuditEntry.Action.UPDATE if before is not None else AuditEntry.Action.CREATE,
        obj=jobseeker,
        actor=user,
        organisation=organisation,
        request=request,
        changes=changes,
        reason="projet de recherche d'emploi",
    )
    return profile


@transaction.atomic
def propose(
    *,
    jobseeker: JobSeeker,
    offer: Offer,
    direction: str,
    score: float | None,
    user: User,
    organisation: Organisation,
    request: HttpRequest | None = None,
) -> Referral:
    referral, created = Referral.objects.get_or_create(
        jobseeker=jobseeker,
        offer=offer,
        direction=direction,
        defaults={"score": score, "organisation": organisation, "created_by": user},
    )
    if created:
        ReferralEvent.objects.create(
            referral=referral, status=referral.status, by=user, organisation=organisation
        )
        record(
            action=AuditEntry.Action.CREATE,
            obj=jobseeker,
            actor=user,
            organisation=organisation,
            request=request,
            changes={"referral": [None, f"{referral.get_direction_display()} : offre {offer.pk}"]},
            reason="mise en relation",
        )
    return referral


class InvalidTransition(ValueError):
    pass


@transaction.atomic
def change_status(
    *,
    referral: Referral,
    status: str,
    note: str,
    user: User,
    organisation: Organisation,
    request: HttpRequest | None = None,
) -> Referral:
    if status not in Referral.Status.values:
        raise InvalidTransition(f"État inconnu : {status}")
    if status == Referral.Status.DECLINED and not note.strip():
        raise InvalidTransition("Indiquez le motif quand une mise en relation est sans suite.")
    previous = referral.status
    referral.status = status
    referral.decline_reason = note.strip() if status == Referral.Status.DECLINED else referral.decline_reason
    referral.save(update_fields=["status", "decline_reason", "updated_at"])
    ReferralEvent.objects.create(
        referral=referral, status=status, note=note[:300], by=user, organisation=organisation
    )
    record(
        action=AuditEntry.Action.UPDATE,
        obj=referral.jobseeker,
        actor=user,
        organisation=organisation,
        request=request,
        changes={"referral_status": [previous, status]},
        reason=f"mise en relation {referral.pk}",
    )
    return referral
