"""Import runs that died: a process killed mid-import (SIGKILL, out of memory, a restarted server) leaves its
`ImportRun` "running" forever; here it becomes "interrupted".

Each batch is committed on its own (offers.services), so what such a run stored is complete and consistent; a
re-run of the same file stores the rest (the batches already stored come back unchanged). A run counts as dead
when its process no longer exists on this host, or, from another host, when it has committed nothing for
`IMPORT_STALE_MINUTES` (default 60: a batch takes seconds). Checked when a run of the same source starts and by
the scheduled tasks (`reseau-emploi run-scheduled-tasks`).
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from offers.models import ImportRun

HOST = socket.gethostname()


def this_worker() -> str:
    return f"{HOST}:{os.getpid()}"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def _is_dead(run: ImportRun, *, stale_before) -> bool:
    last_sign_of_life = run.heartbeat_at or run.started_at
    if last_sign_of_life < stale_before:
        return True
    host, _, pid = run.worker.rpartition(":")
    return host == HOST and pid.isdigit() and int(pid) != os.getpid() and not _process_exists(int(pid))


def mark_interrupted_runs(*, source=None, now=None) -> list[ImportRun]:
    """Mark the running imports whose process is gone as interrupted; returns them."""
    now = now or timezone.now()
    stale_before = now - timedelta(minutes=getattr(settings, "IMPORT_STALE_MINUTES", 60))
    running = ImportRun.objects.filter(status=ImportRun.Status.RUNNING)
    if source is not None:
        running = running.filter(source=source)
    dead = [run for run in running if _is_dead(run, stale_before=stale_before)]
    for run in dead:
        run.status = ImportRun.Status.INTERRUPTED
        run.message = " ".join(
            filter(
                None,
                [
                    run.message,
                    f"Import interrompu (processus {run.worker or 'inconnu'} arrêté) : les lots enregistrés avant "
                    f"l'arrêt sont complets ({run.read_count} enregistrements lus) ; relancez l'import du même "
                    "fichier pour enregistrer le reste.",
                ],
            )
        )
        run.save(update_fields=["status", "message"])
    return dead


def record_progress(run: ImportRun, summary) -> None:
    """The counts after a committed batch, and the heartbeat that tells a live run from a dead one."""
    run.heartbeat_at = timezone.now()
    run.read_count, run.created_count, run.updated_count = summary.read, summary.created, summary.updated
    run.unchanged_count, run.rejected_count = summary.unchanged, summary.rejected
    ImportRun.objects.filter(pk=run.pk).update(
        heartbeat_at=run.heartbeat_at,
        read_count=run.read_count,
        created_count=run.created_count,
        updated_count=run.updated_count,
        unchanged_count=run.unchanged_count,
        rejected_count=run.rejected_count,
    )
