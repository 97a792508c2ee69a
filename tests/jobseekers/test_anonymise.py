"""`reseau-emploi anonymise-jobseekers`: dry run, write, idempotent, what is kept."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from jobseekers import services
from jobseekers.models import ANONYMISED_NAME, AidRequest, JobSeeker
from tests.jobseekers.factories import (
    AidRequestEventFactory,
    AidRequestFactory,
    ConsentFactory,
    FollowUpFactory,
    JobSeekerFactory,
    NeedFactory,
)

THREE_YEARS = timedelta(days=3 * 365)


def _ended(last_name, ago, **fields):
    record = JobSeekerFactory(last_name=last_name, **fields)
    FollowUpFactory(
        jobseeker=record,
        since=(timezone.now() - ago - timedelta(days=100)).date(),
        until=(timezone.now() - ago).date(),
    )
    JobSeeker.objects.filter(pk=record.pk).update(last_followed_at=timezone.now() - ago)
    return record


def _run(*args):
    out = StringIO()
    call_command("anonymise_jobseekers", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_and_changes_nothing(db):
    old = _ended("Ancienne", THREE_YEARS)
    recent = _ended("Recente", timedelta(days=365))
    output = _run()
    assert f"would anonymise: record {old.pk}" in output
    assert f"record {recent.pk}" not in output
    assert "1 record(s) to anonymise (dry run" in output
    assert JobSeeker.objects.filter(anonymised_at__isnull=True).count() == 2


def test_write_anonymises_keeps_statistics_and_is_idempotent(db):
    old = _ended("Ancienne", THREE_YEARS, first_name="Prénomrare", email="rare@example.org")
    ConsentFactory(jobseeker=old, withdrawal_note="")
    need = NeedFactory(jobseeker=old, description="Entretien chez un employeur nommé")
    aid_request = AidRequestFactory(
        jobseeker=old,
        need=need,
        status=AidRequest.Status.PAID,
        amount_requested=Decimal("150"),
        amount_granted=Decimal("120"),
        notes="Notes personnelles",
    )
    AidRequestEventFactory(request=aid_request, note="Appel de Prénomrare")
    services.read_record(jobseeker=old, user=None, organisation=None)  # an earlier read, as in real life
    bassin = aid_request.bassin
    recent = _ended("Recente", timedelta(days=365))
    active = JobSeekerFactory(last_name="Active")
    FollowUpFactory(jobseeker=active)
    JobSeeker.objects.filter(pk=active.pk).update(last_followed_at=timezone.now() - THREE_YEARS)

    output = _run("--write")
    assert f"anonymised: record {old.pk}" in output
    assert "1 record(s) anonymised." in output
    assert "1 record(s) still have an open follow-up" in output

    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.full_name == ANONYMISED_NAME
    assert (old.last_name, old.email, old.phone, old.birth_date, old.commune_id) == ("", "", "", None, None)
    assert old.has_driving_licence is None and old.children_birth_dates is None
    # Kept for statistics: follow-ups, consents, aid requests with amounts, statuses and territory.
    assert old.followups.count() == 1 and old.consents.count() == 1
    aid_request.refresh_from_db()
    assert (aid_request.status, aid_request.amount_granted, aid_request.bassin) == (
        "paid",
        Decimal("120"),
        bassin,
    )
    assert aid_request.notes == "" and aid_request.events.get().note == ""
    need.refresh_from_db()
    assert need.description == "" and need.place_commune_id is None
    # The audit log names the record by number only.
    assert AuditEntry.objects.filter(object_id=str(old.pk), action=AuditEntry.Action.ANONYMISE).count() == 1
    assert not AuditEntry.objects.filter(object_repr__icontains="Prénomrare").exists()
    assert not AuditEntry.objects.filter(object_repr__icontains="Ancienne").exists()
    # Untouched: recently followed, and still formally followed.
    recent.refresh_from_db()
    active.refresh_from_db()
    assert recent.anonymised_at is None and active.anonymised_at is None and active.last_name == "Active"

    again = _run("--write")
    assert "0 record(s) anonymised." in again
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ANONYMISE).count() == 1


def test_activity_restarts_the_retention_clock(db):
    record = JobSeekerFactory()
    FollowUpFactory(jobseeker=record)
    JobSeeker.objects.filter(pk=record.pk).update(last_followed_at=timezone.now() - THREE_YEARS)
    services.touch(record)
    record.refresh_from_db()
    assert timezone.now() - record.last_followed_at < timedelta(minutes=1)


def test_one_record_on_request_once_its_followups_are_ended(db):
    import pytest
    from django.core.management import CommandError

    record = JobSeekerFactory(last_name="Demandeuse")
    followup = FollowUpFactory(jobseeker=record)
    with pytest.raises(CommandError, match="still followed"):
        _run("--record", str(record.pk), "--write")
    followup.until = timezone.localdate()
    followup.save()
    assert "would anonymise: record" in _run("--record", str(record.pk))
    record.refresh_from_db()
    assert record.anonymised_at is None
    assert "1 record(s) anonymised." in _run("--record", str(record.pk), "--write")
    record.refresh_from_db()
    assert record.last_name == "" and record.anonymised_at is not None
    assert "already anonymised" in _run("--record", str(record.pk), "--write")
