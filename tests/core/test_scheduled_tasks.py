"""`reseau-emploi run-scheduled-tasks`: anonymises exactly what is due, purges the audit log past its retention,
records and logs every outcome, goes on after a failing task, and is idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEntry
from core import scheduled
from core.models import ScheduledTaskRun
from jobseekers.models import ANONYMISED_NAME, JobSeeker
from tests.jobseekers.factories import FollowUpFactory, JobSeekerFactory

THREE_YEARS = timedelta(days=3 * 365)


def _followed_until(ago: timedelta, *, still_open: bool = False) -> JobSeeker:
    record = JobSeekerFactory(first_name="Prénomrare")
    FollowUpFactory(
        jobseeker=record,
        since=(timezone.now() - ago - timedelta(days=100)).date(),
        until=None if still_open else (timezone.now() - ago).date(),
    )
    JobSeeker.objects.filter(pk=record.pk).update(last_followed_at=timezone.now() - ago)
    return record


def _run(*args) -> str:
    out = StringIO()
    call_command("run_scheduled_tasks", *args, stdout=out)
    return out.getvalue()


def _audit_entry(age: timedelta) -> AuditEntry:
    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.READ, object_type="jobseekers.jobseeker", object_id="1"
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - age)
    return entry


@pytest.mark.django_db
def test_the_runner_anonymises_what_is_due_and_nothing_else_and_is_idempotent(caplog):
    due = _followed_until(THREE_YEARS)
    recent = _followed_until(timedelta(days=365))
    still_followed = _followed_until(THREE_YEARS, still_open=True)  # formally followed: never anonymised
    already = _followed_until(THREE_YEARS)
    call_command("anonymise_jobseekers", "--record", str(already.pk), "--write", stdout=StringIO())
    already_at = JobSeeker.objects.get(pk=already.pk).anonymised_at

    output = _run("--only", "anonymise-jobseekers")
    assert "anonymise-jobseekers: succeeded — 1 record(s) anonymised." in output
    records = {record.pk: record for record in JobSeeker.objects.all()}
    assert records[due.pk].anonymised_at is not None and records[due.pk].first_name == ANONYMISED_NAME
    assert records[due.pk].email == "" and records[due.pk].birth_date is None
    for kept in (recent, still_followed):
        assert records[kept.pk].anonymised_at is None and records[kept.pk].first_name == "Prénomrare"
    assert records[already.pk].anonymised_at == already_at  # not touched again
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ANONYMISE, object_id=str(due.pk)).count() == 1

    assert "anonymise-jobseekers: succeeded — 0 record(s) anonymised." in _run(
        "--only", "anonymise-jobseekers"
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ANONYMISE, object_id=str(due.pk)).count() == 1
    runs = list(ScheduledTaskRun.objects.filter(task="anonymise-jobseekers").order_by("pk"))
    stale = " 1 record(s) still have an open follow-up but no activity for 2 years"
    assert [(run.status, run.outcome.split(":")[0]) for run in runs] == [
        ("succeeded", "1 record(s) anonymised." + stale),
        ("succeeded", "0 record(s) anonymised." + stale),
    ]
    assert all(run.finished_at >= run.started_at for run in runs)
    assert "scheduled task anonymise-jobseekers done: 1 record(s) anonymised." in caplog.text


@pytest.mark.django_db
def test_the_audit_log_is_purged_past_its_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    old, kept = _audit_entry(timedelta(days=400)), _audit_entry(timedelta(days=300))
    assert "purge-audit: succeeded — 1 audit entries older than" in _run("--only", "purge-audit")
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert "purge-audit: succeeded — 0 audit entries" in _run("--only", "purge-audit")


@pytest.mark.django_db
def test_a_dry_run_changes_nothing_and_records_nothing():
    due = _followed_until(THREE_YEARS)
    _audit_entry(timedelta(days=4000))
    output = _run("--dry-run", "--only", "anonymise-jobseekers", "--only", "purge-audit")
    assert "1 record(s) to anonymise (dry run, use --write)." in output
    assert "1 audit entries older than" in output and "would be deleted (dry run)" in output
    assert JobSeeker.objects.get(pk=due.pk).anonymised_at is None
    assert AuditEntry.objects.count() == 1 and not ScheduledTaskRun.objects.exists()


@pytest.mark.django_db
def test_every_task_runs_daily_except_the_monthly_one_once_a_month(monkeypatch):
    calls = []

    def fake(name):
        def run(dry_run):
            calls.append(name)
            return f"{name} done."

        return run

    monkeypatch.setattr(
        scheduled,
        "TASKS",
        tuple(scheduled.Task(t.name, t.description, fake(t.name), t.monthly) for t in scheduled.TASKS),
    )
    _run()
    assert calls == [task.name for task in scheduled.TASKS]
    calls.clear()
    output = _run()
    assert "notify-mandates: skipped — already done this month." in output
    assert calls == [task.name for task in scheduled.TASKS if not task.monthly]
    # A new month: the monthly task is due again.
    ScheduledTaskRun.objects.filter(task="notify-mandates").update(
        started_at=timezone.now() - timedelta(days=40)
    )
    calls.clear()
    _run()
    assert "notify-mandates" in calls


@pytest.mark.django_db
def test_a_failing_task_is_recorded_the_others_run_and_the_command_fails(monkeypatch):
    def broken(dry_run):
        raise RuntimeError("disk full")

    tasks = list(scheduled.TASKS)
    tasks[0] = scheduled.Task(tasks[0].name, tasks[0].description, broken)
    monkeypatch.setattr(scheduled, "TASKS", tuple(tasks))
    with pytest.raises(CommandError, match="scheduled task\\(s\\) failed: anonymise-jobseekers"):
        _run("--only", "anonymise-jobseekers", "--only", "purge-audit")
    statuses = dict(ScheduledTaskRun.objects.values_list("task", "status"))
    assert statuses == {"anonymise-jobseekers": "failed", "purge-audit": "succeeded"}
    assert ScheduledTaskRun.objects.get(task="anonymise-jobseekers").outcome == "RuntimeError: disk full"


@pytest.mark.django_db
def test_an_unknown_task_is_refused_with_the_list_of_tasks():
    with pytest.raises(CommandError, match="unknown task\\(s\\) anonymize; tasks are anonymise-jobseekers, "):
        _run("--only", "anonymize")


@pytest.mark.django_db
def test_every_real_task_runs_on_an_empty_platform():
    output = _run()
    for task in scheduled.TASKS:
        assert f"{task.name}: succeeded — " in output
    assert "close-expired-offers: succeeded — 0 publications past their expiry date closed." in output
    assert "mark-interrupted-imports: succeeded — 0 import run(s) marked interrupted." in output
    assert "build-offer-search-index: succeeded — offer search index: 0 open offers in " in output
    assert ScheduledTaskRun.objects.filter(status="succeeded").count() == len(scheduled.TASKS)
