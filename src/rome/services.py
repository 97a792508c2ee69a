"""Writes of the ROME app: the synchronisation of the tables with the RefRomeCsv files."""

from __future__ import annotations

from pathlib import Path

from django.db import models
from tqdm import tqdm

from core.sync import SyncReport, run_sync, sync_links, upsert
from rome.models import (
    Appellation,
    DomaineProfessionnel,
    Fiche,
    FicheSkill,
    GrandDomaine,
    Mobility,
    RomeImport,
    Skill,
)
from rome.sources import read_referential


def _delete_stale(model: type[models.Model], keys, *, report: SyncReport) -> None:
    stale = sorted(set(model.objects.values_list("pk", flat=True)) - set(keys))
    for start in range(0, len(stale), 2000):
        model.objects.filter(pk__in=stale[start : start + 2000]).delete()
    if stale:
        report.for_model(str(model._meta.verbose_name_plural)).deleted += len(stale)


def sync_rome(*, rome_dir: Path, v3_fiches: Path | None, write: bool, progress: bool = False) -> SyncReport:
    """Make the ROME tables hold exactly the files' content, in one transaction (rolled back unless `write`)."""

    def sync(report: SyncReport) -> None:
        steps = tqdm(total=9, desc="ROME", unit="step", disable=not progress)
        steps.set_postfix_str("reading files")
        ref = read_referential(rome_dir, v3_fiches)
        report.notes.extend(ref.notes)
        steps.update()
        # Parents before children for creations; stale rows are deleted children first, at the end.
        for model, rows in (
            (GrandDomaine, ref.grands_domaines),
            (DomaineProfessionnel, ref.domaines),
            (Fiche, ref.fiches),
            (Appellation, ref.appellations),
            (Skill, ref.skills),
        ):
            steps.set_postfix_str(str(model._meta.verbose_name_plural))
            upsert(model, rows, report=report)
            steps.update()
        steps.set_postfix_str("compétences des fiches")
        sync_links(
            FicheSkill,
            set(ref.fiche_skills),
            fields=("fiche_id", "skill_id"),
            extra=ref.fiche_skills,
            report=report,
        )
        steps.update()
        steps.set_postfix_str("mobilités")
        sync_links(
            Mobility,
            set(ref.mobilities),
            fields=("source_id", "target_id"),
            extra=ref.mobilities,
            report=report,
        )
        steps.update()
        for model, rows in (
            (Skill, ref.skills),
            (Appellation, ref.appellations),
            (Fiche, ref.fiches),
            (DomaineProfessionnel, ref.domaines),
            (GrandDomaine, ref.grands_domaines),
        ):
            _delete_stale(model, rows, report=report)
        steps.update()
        steps.close()
        if report.changed:
            RomeImport.objects.create(version=ref.version, summary="\n".join(report.lines()))

    report = run_sync(sync, write=write)
    if write and report.changed:
        from rome import search

        search.invalidate()
    return report
