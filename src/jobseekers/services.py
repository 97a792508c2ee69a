"""Writes on job seeker records and aid requests. Every read and change goes through here and into the audit log.

Audit entries name the record by its number only ("Personne suivie n° 12") and mask the values of personal
fields, so that anonymising a record leaves no name or situation behind in the log.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Organisation, User
from aids.models import Aid
from audit.models import AuditEntry
from audit.services import diff_fields, record
from jobseekers.models import ANONYMISED_NAME, AidRequest, AidRequestEvent, Consent, FollowUp, JobSeeker, Need
from jobseekers.simulation import build_situation

MASKED = "(masqué)"
RETENTION_YEARS = 2


class ConsentRequired(ValidationError):
    """Sharing the record with another organisation needs the person's recorded consent."""


def _masked(changes: dict) -> dict:
    return {name: [MASKED, MASKED] for name in changes}


def audit(
    action: str,
    obj: Model,
    *,
    user: User | None,
    organisation: Organisation | None,
    request: HttpRequest | None = None,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    return record(
        action=action,
        obj=obj,
        actor=user,
        organisation=organisation,
        request=request,
        changes=changes,
        reason=reason,
    )


def touch(jobseeker: JobSeeker) -> None:
    """The person is followed today: the retention clock restarts."""
    if jobseeker.followups.active().exists():
        JobSeeker.objects.filter(pk=jobseeker.pk).update(last_followed_at=timezone.now())


# --- The record ----------------------------------------------------------------------------------------------------


def read_record(
    *, jobseeker: JobSeeker, user: User, organisation: Organisation, request=None, reason=""
) -> None:
    audit(
        AuditEntry.Action.READ,
        jobseeker,
        user=user,
        organisation=organisation,
        request=request,
        reason=reason,
    )


def read_records(
    *, jobseekers, user: User, organisation: Organisation | None, request=None, reason: str
) -> None:
    for jobseeker in jobseekers:
        read_record(jobseeker=jobseeker, user=user, organisation=organisation, request=request, reason=reason)


@transaction.atomic
def create_record(
    *,
    data: dict,
    user: User,
    organisation: Organisation,
    consent: dict | None = None,
    request: HttpRequest | None = None,
) -> JobSeeker:
    """Create the record, followed by `organisation` from today with `user` as referent; `consent`
    ({"scope", "method", "given_on"}) records the person's agreement to share it, when given."""
    jobseeker = JobSeeker(created_by=user, **data)
    jobseeker.full_clean()
    jobseeker.save()
    FollowUp.objects.create(jobseeker=jobseeker, organisation=organisation, referent=user, created_by=user)
    audit(
        AuditEntry.Action.CREATE,
        jobseeker,
        user=user,
        organisation=organisation,
        request=request,
        changes=_masked(dict.fromkeys([*JobSeeker.IDENTITY_FIELDS, *JobSeeker.SITUATION_FIELDS])),
        reason=f"Suivi par {organisation}",
    )
    if consent:
        record_consent(jobseeker=jobseeker, user=user, organisation=organisation, request=request, **consent)
    return jobseeker


@transaction.atomic
def update_record(
    *, jobseeker: JobSeeker, data: dict, user: User, organisation: Organisation, request=None
) -> dict:
    before = JobSeeker.objects.get(pk=jobseeker.pk)
    for name, value in data.items():
        setattr(jobseeker, name, value)
    jobseeker.full_clean()
    jobseeker.save()
    changes = diff_fields(before, jobseeker, [*JobSeeker.IDENTITY_FIELDS, *JobSeeker.SITUATION_FIELDS])
    if changes:
        audit(
            AuditEntry.Action.UPDATE,
            jobseeker,
            user=user,
            organisation=organisation,
            request=request,
            changes=_masked(changes),
        )
        touch(jobseeker)
    return changes


# --- Following organisations and consent ----------------------------------------------------------------------


@transaction.atomic
def add_followup(
    *,
    jobseeker: JobSeeker,
    organisation: Organisation,
    since: date | None = None,
    referent: User | None = None,
    user: User,
    acting_organisation: Organisation,
    request=None,
) -> FollowUp:
    from jobseekers.selectors import current_consent, following_organisations_of

    if following_organisations_of(jobseeker).filter(pk=organisation.pk).exists():
        raise ValidationError(f"{organisation} suit déjà cette personne.")
    if current_consent(jobseeker) is None:
        raise ConsentRequired(
            "La personne n'a pas donné son accord au partage de son dossier : enregistrez son consentement "
            "avant d'ajouter une autre organisation."
        )
    followup = FollowUp.objects.create(
        jobseeker=jobseeker,
        organisation=organisation,
        since=since or timezone.localdate(),
        referent=referent,
        created_by=user,
    )
    audit(
        AuditEntry.Action.UPDATE,
        jobseeker,
        user=user,
        organisation=acting_organisation,
        request=request,
        changes={"followups": [None, organisation.name]},
        reason="Suivi ajouté (dossier partagé)",
    )
    touch(jobseeker)
    return followup


@transaction.atomic
def end_followup(
    *, followup: FollowUp, user: User, until: date | None = None, reason: str = "", request=None
) -> FollowUp:
    until = until or timezone.localdate()
    if until < followup.since:
        raise ValidationError("La date de fin ne peut pas précéder le début du suivi.")
    followup.until = until
    followup.end_reason = reason[:200]
    followup.save(update_fields=["until", "end_reason"])
    jobseeker = followup.jobseeker
    audit(
        AuditEntry.Action.UPDATE,
        jobseeker,
        user=user,
        organisation=followup.organisation,
        request=request,
        changes={"followups": [followup.organisation.name, None]},
        reason="Fin de suivi",
    )
    if not jobseeker.followups.active().exists():
        ended = timezone.make_aware(datetime.combine(until, time(23, 59)))
        JobSeeker.objects.filter(pk=jobseeker.pk).update(last_followed_at=ended)
    return followup


@transaction.atomic
def record_consent(
    *,
    jobseeker: JobSeeker,
    scope: str,
    method: str,
    given_on: date | None = None,
    user: User,
    organisation: Organisation,
    request=None,
) -> Consent:
    from jobseekers.selectors import current_consent

    if current_consent(jobseeker, scope) is not None:
        raise ValidationError("Ce consentement est déjà enregistré.")
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise ValidationError("La date du consentement ne peut pas être dans le futur.")
    consent = Consent.objects.create(
        jobseeker=jobseeker,
        scope=scope,
        method=method,
        given_on=given_on,
        recorded_by=user,
        organisation=organisation,
    )
    audit(
        AuditEntry.Action.UPDATE,
        jobseeker,
        user=user,
        organisation=organisation,
        request=request,
        changes={f"consent:{scope}": [None, f"{method} {given_on.isoformat()}"]},
        reason="Consentement enregistré",
    )
    touch(jobseeker)
    return consent


@transaction.atomic
def withdraw_consent(
    *, consent: Consent, user: User, organisation: Organisation, note: str = "", request=None
) -> list[FollowUp]:
    """Withdraw the consent. Withdrawing the sharing consent ends the follow-ups of every other organisation
    today: only the organisation recording the withdrawal keeps the record. Returns the follow-ups ended."""
    if consent.withdrawn_at is not None:
        raise ValidationError("Ce consentement est déjà retiré.")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = user
    consent.withdrawal_note = note[:200]
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    jobseeker = consent.jobseeker
    audit(
        AuditEntry.Action.UPDATE,
        jobseeker,
        user=user,
        organisation=organisation,
        request=request,
        changes={f"consent:{consent.scope}": ["donné", "retiré"]},
        reason="Consentement retiré",
    )
    ended = []
    if consent.scope == Consent.Scope.SHARE_RECORD:
        for followup in (
            jobseeker.followups.active().exclude(organisation=organisation).select_related("organisation")
        ):
            ended.append(
                end_followup(
                    followup=followup, user=user, reason="Retrait du consentement au partage", request=request
                )
            )
    return ended


# --- Needs, simulation and aid requests ---------------------------------------------------------------------------


# The pool's contract types that the aid engine knows (offers.canonical.CONTRACT_LABELS -> Need.ContractType).
OFFER_CONTRACTS = {
    "CDI": Need.ContractType.CDI,
    "CDD": Need.ContractType.CDD,
    "INTERIM": Need.ContractType.CTT,
}


def fill_from_offer(need: Need) -> None:
    """What the advisor left empty is taken from the job offer: its commune, contract, length and hours."""
    offer = need.offer
    if offer is None:
        return
    need.place_commune_id = need.place_commune_id or offer.commune_id
    need.contract_type = need.contract_type or OFFER_CONTRACTS.get(offer.contract_type, "")
    if need.contract_months is None and offer.contract_duration_months is not None:
        need.contract_months = Decimal(str(round(offer.contract_duration_months, 1)))
    if need.weekly_hours is None and offer.weekly_hours is not None:
        need.weekly_hours = Decimal(str(round(offer.weekly_hours, 1)))


@transaction.atomic
def create_need(
    *, jobseeker: JobSeeker, data: dict, user: User, organisation: Organisation, request=None
) -> Need:
    need = Need(jobseeker=jobseeker, created_by=user, organisation=organisation, **data)
    fill_from_offer(need)
    if need.place_commune_id is None:
        raise ValidationError(
            {"place_commune": "Indiquez la commune, ou une offre du vivier qui la précise."}
        )
    need.full_clean()
    need.save()
    audit(
        AuditEntry.Action.UPDATE,
        jobseeker,
        user=user,
        organisation=organisation,
        request=request,
        changes={"needs": [None, f"projet n° {need.pk}"]},
        reason="Projet décrit pour une simulation d'aides",
    )
    touch(jobseeker)
    return need


def run_simulation(*, need: Need, user: User, organisation: Organisation, request=None) -> list[dict]:
    """Evaluate every aid of the catalogue for the person and the need; the results are kept on the need."""
    from aids.services import evaluate

    results = [result.as_dict() for result in evaluate(situation=build_situation(need.jobseeker, need))]
    need.results = results
    need.evaluated_at = timezone.now()
    need.save(update_fields=["results", "evaluated_at"])
    audit(
        AuditEntry.Action.READ,
        need.jobseeker,
        user=user,
        organisation=organisation,
        request=request,
        reason=f"Simulation des aides (projet n° {need.pk})",
    )
    return results


def _territory_of(jobseeker: JobSeeker) -> dict:
    commune = jobseeker.commune
    if commune is None:
        return {}
    return {
        "bassin_id": commune.bassin_id,
        "departement_id": commune.departement_id,
        "region_id": commune.region_id,
    }


@transaction.atomic
def create_aid_request(
    *,
    jobseeker: JobSeeker,
    aid: Aid,
    need: Need | None,
    amount_requested: Decimal,
    consent_given_on: date,
    consent_method: str,
    documents: list[dict] | None = None,
    notes: str = "",
    user: User,
    organisation: Organisation,
    request=None,
) -> AidRequest:
    if need is not None and need.jobseeker_id != jobseeker.pk:
        raise ValidationError("Ce projet n'appartient pas à cette personne.")
    if consent_given_on > timezone.localdate():
        raise ValidationError("La date du consentement ne peut pas être dans le futur.")
    result = need.result_for(aid.pk) if need is not None else None
    amount = (result or {}).get("amount")
    aid_request = AidRequest(
        jobseeker=jobseeker,
        need=need,
        aid=aid,
        organisation=organisation,
        amount_requested=amount_requested,
        estimated_amount=None if amount is None else Decimal(str(round(amount, 2))),
        eligibility=(result or {}).get("status", ""),
        consent_given_on=consent_given_on,
        consent_method=consent_method,
        documents=documents
        if documents is not None
        else [{"label": d, "provided": False} for d in aid.documents],
        notes=notes,
        created_by=user,
        **_territory_of(jobseeker),
    )
    aid_request.full_clean()
    aid_request.save()
    AidRequestEvent.objects.create(
        request=aid_request, status=aid_request.status, on=timezone.localdate(), by=user
    )
    audit(
        AuditEntry.Action.CREATE,
        aid_request,
        user=user,
        organisation=organisation,
        request=request,
        changes=diff_fields(None, aid_request, ["aid_id", "status", "amount_requested", "consent_given_on"]),
        reason=f"Personne suivie n° {jobseeker.pk}",
    )
    touch(jobseeker)
    return aid_request


def read_aid_request(
    *, aid_request: AidRequest, user: User, organisation: Organisation | None, request=None, reason: str = ""
) -> None:
    person = f"Personne suivie n° {aid_request.jobseeker_id}"
    audit(
        AuditEntry.Action.READ,
        aid_request,
        user=user,
        organisation=organisation,
        request=request,
        reason=f"{reason} — {person}" if reason else person,
    )


@transaction.atomic
def change_status(
    *,
    aid_request: AidRequest,
    status: str,
    on: date | None = None,
    amount_granted: Decimal | None = None,
    note: str = "",
    user: User,
    organisation: Organisation,
    request=None,
) -> AidRequest:
    """Move the request to `status` on day `on` (today by default): sent, granted (with the amount), refused,
    paid or cancelled, as the instructing body decided."""
    allowed = aid_request.next_statuses
    if status not in allowed:
        names = ", ".join(AidRequest.Status(s).label.lower() for s in allowed) or "aucun"
        raise ValidationError(
            f"Une demande « {aid_request.get_status_display().lower()} » ne peut pas passer à "
            f"« {AidRequest.Status(status).label.lower()} » (possible : {names})."
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError("La date ne peut pas être dans le futur.")
    before = AidRequest.objects.get(pk=aid_request.pk)
    aid_request.status = status
    if status == AidRequest.Status.SENT:
        aid_request.sent_on = on
    elif status == AidRequest.Status.GRANTED:
        if amount_granted is None or amount_granted <= 0:
            raise ValidationError({"amount_granted": "Indiquez le montant accordé."})
        aid_request.amount_granted = amount_granted
        aid_request.decided_on = on
    elif status == AidRequest.Status.REFUSED:
        aid_request.decided_on = on
    elif status == AidRequest.Status.PAID:
        aid_request.paid_on = on
    aid_request.save()
    AidRequestEvent.objects.create(request=aid_request, status=status, on=on, by=user, note=note[:300])
    audit(
        AuditEntry.Action.UPDATE,
        aid_request,
        user=user,
        organisation=organisation,
        request=request,
        changes=diff_fields(before, aid_request, AidRequest.FIELDS),
        reason=f"Personne suivie n° {aid_request.jobseeker_id}",
    )
    touch(aid_request.jobseeker)
    return aid_request


@transaction.atomic
def update_aid_request(
    *, aid_request: AidRequest, data: dict, user: User, organisation: Organisation, request=None
) -> dict:
    """Update the documents checklist, the notes or the amount requested."""
    before = AidRequest.objects.get(pk=aid_request.pk)
    for name, value in data.items():
        setattr(aid_request, name, value)
    aid_request.full_clean()
    aid_request.save()
    changes = diff_fields(before, aid_request, AidRequest.FIELDS)
    if "notes" in changes:
        changes["notes"] = [MASKED, MASKED]  # free text may hold personal details
    if changes:
        audit(
            AuditEntry.Action.UPDATE,
            aid_request,
            user=user,
            organisation=organisation,
            request=request,
            changes=changes,
            reason=f"Personne suivie n° {aid_request.jobseeker_id}",
        )
        touch(aid_request.jobseeker)
    return changes


# --- Retention ------------------------------------------------------------------------------------------------


def retention_cutoff(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - RETENTION_YEARS, day=28)


def records_to_anonymise(*, now: datetime | None = None):
    """Records not followed by any organisation for two years (no open follow-up, last one ended before the
    cutoff) and not anonymised yet."""
    today = (now or timezone.now()).date()
    open_followups = FollowUp.objects.filter(until__isnull=True) | FollowUp.objects.filter(until__gt=today)
    return JobSeeker.objects.filter(
        anonymised_at__isnull=True, last_followed_at__lt=retention_cutoff(now)
    ).exclude(pk__in=open_followups.values("jobseeker_id"))


def stale_open_records(*, now: datetime | None = None):
    """Records still formally followed but without any activity for two years: their organisations should
    end the follow-up (the command reports them, it never ends a follow-up by itself)."""
    return JobSeeker.objects.filter(
        anonymised_at__isnull=True, last_followed_at__lt=retention_cutoff(now)
    ).exclude(pk__in=records_to_anonymise(now=now).values("pk"))


@transaction.atomic
def anonymise(jobseeker: JobSeeker, *, now: datetime | None = None) -> None:
    """Erase what identifies the person or describes their situation; keep, for statistics, the follow-ups
    (organisations and dates), the consents' dates and the aid requests (aid, amounts, statuses, dates,
    territory at filing time) without their notes or documents."""
    now = now or timezone.now()
    JobSeeker.objects.filter(pk=jobseeker.pk).update(
        first_name=ANONYMISED_NAME,
        last_name="",
        search_name="",
        birth_date=None,
        email="",
        phone="",
        commune=None,
        registration_date=None,
        allowance="",
        allowance_daily_amount=None,
        lives_alone=None,
        children_birth_dates=None,
        household_monthly_income=None,
        has_driving_licence=None,
        has_vehicle=None,
        anonymised_at=now,
    )
    jobseeker.followups.update(referent=None, end_reason="")
    jobseeker.consents.update(withdrawal_note="")
    jobseeker.needs.update(place_commune=None, offer=None, description="", monthly_salary=None, results=[])
    jobseeker.aid_requests.update(notes="", documents=[])
    AidRequestEvent.objects.filter(request__jobseeker=jobseeker).update(note="")
    jobseeker.refresh_from_db()
    audit(
        AuditEntry.Action.ANONYMISE,
        jobseeker,
        user=None,
        organisation=None,
        reason=f"Non suivie depuis plus de {RETENTION_YEARS} ans",
    )
