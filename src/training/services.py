"""Writes on the training supply: file imports (dry run unless `write`) and sessions entered by hand."""

from __future__ import annotations

import uuid
from pathlib import Path

from core.sync import SourceError, SyncReport, run_sync, upsert
from territories.selectors import CommuneResolver
from training import sources
from training.models import ApprenticeshipFigure, TrainingSession

FORMATS = ("lheo", "csv")


def _attach_communes(rows: dict[str, dict], report: SyncReport) -> None:
    if not rows:
        return
    resolver = CommuneResolver()
    unknown = 0
    for values in rows.values():
        code, postal_code, city = (
            values["commune_code"],
            values.pop("_postal_code", ""),
            values.pop("_city", ""),
        )
        # A postal code with the town name is the surest; catalogues often put a postal code in the INSEE field.
        found = resolver.resolve(postal_code=postal_code, name=city) if postal_code and city else None
        values["commune_id"] = found or (resolver.resolve(code=code) if code else None)
        unknown += values["commune_id"] is None
    if unknown:
        report.notes.append(f"{unknown} ligne(s) sans commune reconnue : comptées sans territoire")


def import_sessions(*, path: Path, format: str, write: bool) -> SyncReport:
    if format not in FORMATS:
        raise SourceError(f"format « {format} » inconnu (lheo ou csv)", path=path)

    def sync(report: SyncReport) -> None:
        reader = sources.read_lheo if format == "lheo" else sources.read_sessions_csv
        rows = reader(path, rejected=report.rejected)
        _attach_communes(rows, report)
        upsert(TrainingSession, rows, key="key", report=report)
        report.notes.append(f"{len(rows)} session(s) lue(s) dans {path.name}")

    return run_sync(sync, write=write)


def import_apprenticeship(*, path: Path, write: bool) -> SyncReport:
    def sync(report: SyncReport) -> None:
        rows = sources.read_apprenticeship_csv(path, rejected=report.rejected)
        _attach_communes(rows, report)
        upsert(ApprenticeshipFigure, rows, key="key", report=report)
        report.notes.append(f"{len(rows)} ligne(s) lue(s) dans {path.name}")

    return run_sync(sync, write=write)


def create_manual_session(*, user, **fields) -> TrainingSession:
    external_id = uuid.uuid4().hex
    return TrainingSession.objects.create(
        key=f"manual:{external_id}",
        source=TrainingSession.Source.MANUAL,
        external_id=external_id,
        commune_code=fields["commune"].code if fields.get("commune") else "",
        created_by=user,
        **fields,
    )
