"""The platform's scheduled tasks, run by one entry point (`reseau-emploi run-scheduled-tasks`, daily from a
systemd timer or cron: deploy/systemd/, docs/operations.md).

Each task does its whole job or says why not, is idempotent (a second run the same day finds nothing to do), and
its outcome is logged (logger `core.scheduled`) and recorded (`ScheduledTaskRun`). A failing task does not stop
the others; the command then exits non-zero so the timer or cron reports it. Monthly tasks run at the first
daily run of each month that has no successful run of them yet (a missed day does not skip a month).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from core.models import ScheduledTaskRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    name: str
    description: str
    run: Callable[[bool], str]  # run(dry_run) -> one-line outcome
    monthly: bool = False


def _last_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def anonymise_jobseekers(dry_run: bool) -> str:
    out = StringIO()
    call_command("anonymise_jobseekers", write=not dry_run, stdout=out)
    # The count, then the records still formally followed without activity (their organisations must act).
    stale = [line for line in out.getvalue().splitlines() if "still have an open follow-up" in line]
    return " ".join([_last_line(out.getvalue()), *stale])


def audit_retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", 365))


def purge_audit(dry_run: bool) -> str:
    from audit.models import AuditEntry

    cutoff = timezone.now() - timedelta(days=audit_retention_days())
    expired = AuditEntry.objects.filter(at__lt=cutoff)
    if dry_run:
        return f"{expired.count()} audit entries older than {cutoff:%Y-%m-%d} would be deleted (dry run)."
    deleted, _ = expired.delete()
    return f"{deleted} audit entries older than {cutoff:%Y-%m-%d} deleted."


def close_expired_offers(dry_run: bool) -> str:
    from offers.models import Publication
    from offers.services import close_expired

    if dry_run:
        due = Publication.objects.filter(closed_at__isnull=True, expires_at__lte=timezone.now()).count()
        return f"{due} publications past their expiry date would be closed (dry run)."
    return f"{close_expired()} publications past their expiry date closed."


def mark_interrupted_imports(dry_run: bool) -> str:
    from offers.runs import mark_interrupted_runs

    if dry_run:
        return "running imports whose process is gone would be marked interrupted (dry run)."
    return f"{len(mark_interrupted_runs())} import run(s) marked interrupted."


def build_offer_search_index(dry_run: bool) -> str:
    from offers.search_index.store import build_search_index

    if dry_run:
        return "the offer search index would be built again from the open offers (dry run)."
    report = build_search_index()
    return f"offer search index: {report.offers} open offers in {report.seconds:.1f} s."


def notify_mandates(dry_run: bool) -> str:
    out = StringIO()
    call_command("notify_mandates", send=not dry_run, stdout=out)
    return _last_line(out.getvalue()) or "no mandate to report."


TASKS = (
    Task(
        "anonymise-jobseekers",
        "anonymise the records not followed for two years (docs/rgpd.md)",
        anonymise_jobseekers,
    ),
    Task("purge-audit", "delete audit entries past AUDIT_RETENTION_DAYS", purge_audit),
    Task("close-expired-offers", "close the offers past their expiry date", close_expired_offers),
    Task(
        "build-offer-search-index",
        "read the open offers into a new search index (and trim the change log)",
        build_offer_search_index,
    ),
    Task(
        "mark-interrupted-imports",
        "mark the imports whose process died as interrupted",
        mark_interrupted_imports,
    ),
    Task(
        "notify-mandates",
        "e-mail the committees' mandates ending soon (monthly)",
        notify_mandates,
        monthly=True,
    ),
)
TASKS_BY_NAME = {task.name: task for task in TASKS}


def is_due(task: Task, *, now=None) -> bool:
    if not task.monthly:
        return True
    now = timezone.localtime(now or timezone.now())
    return not ScheduledTaskRun.objects.filter(
        task=task.name,
        status=ScheduledTaskRun.Status.SUCCEEDED,
        started_at__gte=now.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
    ).exists()


def run_tasks(*, only: list[str] | None = None, dry_run: bool = False) -> list[tuple[Task, str, str]]:
    """Run the due tasks (or only those named); returns (task, status, outcome) for each one considered."""
    unknown = sorted(set(only or ()) - set(TASKS_BY_NAME))
    if unknown:
        raise ValueError(f"unknown task(s) {', '.join(unknown)}; tasks are {', '.join(TASKS_BY_NAME)}")
    results = []
    for task in TASKS:
        if only and task.name not in only:
            continue
        if not is_due(task):
            results.append((task, "skipped", "already done this month."))
            logger.info("scheduled task %s skipped: already done this month", task.name)
            continue
        results.append((task, *_run_one(task, dry_run=dry_run)))
    return results


def _run_one(task: Task, *, dry_run: bool) -> tuple[str, str]:
    logger.info("scheduled task %s started%s", task.name, " (dry run)" if dry_run else "")
    record = None if dry_run else ScheduledTaskRun.objects.create(task=task.name)
    try:
        outcome = task.run(dry_run)
    except Exception as exc:
        logger.exception("scheduled task %s failed", task.name)
        status, outcome = ScheduledTaskRun.Status.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        logger.info("scheduled task %s done: %s", task.name, outcome)
        status = ScheduledTaskRun.Status.SUCCEEDED
    if record is not None:
        record.status, record.outcome, record.finished_at = status, outcome, timezone.now()
        record.save(update_fields=["status", "outcome", "finished_at"])
    return str(status), outcome
