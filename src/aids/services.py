"""Evaluate situations against the catalogue of aids, and keep the catalogue.

STABLE CONTRACT (the job seekers' workflow calls these):

    evaluate(*, situation: Situation, aids: list[Aid] | None = None) -> list[AidResult]
        every published aid in force on the evaluation date (or `aids`), eligible first
    evaluate_many(*, situations: list[Situation], aids: list[Aid] | None = None) -> list[list[AidResult]]
        a whole cohort in one vectorised OpenFisca simulation, results in the same order

`Situation` is in `aids.situations`, `AidResult` in `aids.results`. The OpenFisca tax-benefit system is loaded
once per process.
"""

from __future__ import annotations

from aids.models import Aid, Source
from aids.results import AidResult
from aids.situations import Situation
from core.sync import SyncReport

SYNCED_FIELDS_EXCLUDED = {"id", "updated_at", "edited_in_app"}


def evaluate(*, situation: Situation, aids: list[Aid] | None = None) -> list[AidResult]:
    return evaluate_many(situations=[situation], aids=aids)[0]


def evaluate_many(*, situations: list[Situation], aids: list[Aid] | None = None) -> list[list[AidResult]]:
    from aids.engine import evaluate_cohort
    from aids.selectors import catalogue_for_engine

    return evaluate_cohort(situations, catalogue_for_engine() if aids is None else aids)


def sync_catalogue(*, report: SyncReport, data_dir=None) -> None:
    """Make the catalogue hold the project's aids and the relevant aides-jeunes aids. Aids edited in the app are
    left as they are; aids that disappeared from the sources are unpublished (their history and the requests
    that refer to them stay)."""
    from aids.sources import read_aides_jeunes, read_catalogue

    counts = report.for_model(str(Aid._meta.verbose_name_plural))
    rows = {}
    for read in (read_catalogue(), read_aides_jeunes(data_dir)):
        rows.update(read.rows)
        report.rejected += read.rejected
        report.notes += read.notes
    existing = {aid.id: aid for aid in Aid.objects.all()}
    for aid_id, values in rows.items():
        aid = existing.get(aid_id)
        if aid is None:
            aid = Aid(id=aid_id, **values)
            aid._change_reason = "sync-aids: création"
            aid.save()
            counts.created += 1
            continue
        if aid.edited_in_app:
            report.notes.append(f"{aid_id}: edited in the app, left as it is")
            counts.unchanged += 1
            continue
        changed = [name for name, value in values.items() if getattr(aid, name) != value]
        if not changed:
            counts.unchanged += 1
            continue
        for name in changed:
            setattr(aid, name, values[name])
        aid._change_reason = "sync-aids: " + ", ".join(changed)
        aid.save()
        counts.updated += 1
    for aid in existing.values():
        if aid.id not in rows and aid.source != Source.MANUAL and aid.is_published and not aid.edited_in_app:
            aid.is_published = False
            aid._change_reason = "sync-aids: absente des sources, dépubliée"
            aid.save()
            counts.deleted += 1
            report.notes.append(f"{aid.id}: no longer in the sources, unpublished")


def save_aid(*, aid: Aid, user, reason: str = "") -> Aid:
    """Save an edit made in the app: recorded in the history with its author, protected from the next sync."""
    aid.edited_in_app = True
    aid._history_user = user
    aid._change_reason = reason[:100] or "modification dans l'application"
    if aid.source != Source.MANUAL and not aid.source_file:
        aid.source = Source.MANUAL
    aid.save()
    return aid
