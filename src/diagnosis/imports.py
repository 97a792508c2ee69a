"""Reference imports of the diagnosis (the `sync_*` commands): each function diffs one source into its table
and records the source's vintage in `Dataset`. Run them through `core.sync.run_sync` (dry run by default)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from rapidfuzz import fuzz, process

from core.sync import SourceError, SyncReport, upsert
from core.text import fold
from diagnosis.models import (
    Dataset,
    FapOccupation,
    HiringProjects,
    OfferCount,
    RomeFapLink,
    TensionFigure,
    TensionListEntry,
    TensionSeries,
)
from diagnosis.sources import labour
from territories.models import Commune, CommuneAlias, Region

LABOUR_DIR = "labour_market"
ETALAB = "Licence Ouverte / Etalab 2.0"

DATASETS = {
    "bmo-2025": {
        "title": "Enquête Besoins en main-d'œuvre (BMO)",
        "producer": "France Travail",
        "vintage": "2025",
        "reference_date": dt.date(2025, 4, 1),
        "licence": ETALAB,
        "url": "https://statistiques.francetravail.org/bmo",
        "file_name": "labour_market/bmo_2025_open_data.csv",
        "note": "Projets de recrutement par métier BMO (FAP 2021) × bassin ; « * » = secret statistique.",
    },
    "tensions-2021": {
        "title": "Indicateurs de tension par métier ROME × bassin",
        "producer": "Pôle emploi / DARES (données Mobiville)",
        "vintage": "2021",
        "reference_date": dt.date(2021, 12, 31),
        "licence": ETALAB,
        "url": "https://github.com/StartupsPoleEmploi/mobiville",
        "file_name": "labour_market/mobiville/cities-tension-utf8.csv",
        "note": "Offres enregistrées, demandeurs d'emploi A, B, C, classe de tension 1 à 5 et ses six composantes.",
    },
    "offres-2021-12-21": {
        "title": "Offres d'emploi ouvertes par commune × ROME",
        "producer": "Pôle emploi (données Mobiville)",
        "vintage": "21/12/2021",
        "reference_date": dt.date(2021, 12, 21),
        "licence": ETALAB,
        "url": "https://github.com/StartupsPoleEmploi/mobiville",
        "file_name": "labour_market/mobiville/20211221_mv_villes_offre_full.csv.bz2",
        "note": "Instantané des offres ouvertes ; seules les communes de la région sont conservées.",
    },
    "metiers-tension-2024": {
        "title": "Liste des métiers en tension par région (arrêté du 1er mars 2024)",
        "producer": "Ministère du Travail",
        "vintage": "mars 2024",
        "reference_date": dt.date(2024, 3, 1),
        "licence": ETALAB,
        "url": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049226519",
        "file_name": "labour_market/metiers_en_tension_mars_2024.csv",
        "note": "Familles professionnelles FAP 2009.",
    },
    "dares-tensions": {
        "title": "Indicateur de tension par métier (FAP 2009), série nationale",
        "producer": "DARES / Pôle emploi",
        "vintage": "2011-2019",
        "reference_date": dt.date(2019, 12, 31),
        "licence": ETALAB,
        "url": "https://github.com/StatDares/PortraitStatMetiers",
        "file_name": "labour_market/dares/inputs/tensions/evol_tensions.csv",
        "note": "Écart à la moyenne en écarts types (z-score), France entière ; données antérieures à la crise sanitaire.",
    },
    "rome-fap-dares": {
        "title": "Correspondance ROME v3 ↔ FAP 2009",
        "producer": "DARES",
        "vintage": "FAP 2009",
        "reference_date": None,
        "licence": ETALAB,
        "url": "https://dares.travail-emploi.gouv.fr/donnees/la-nomenclature-des-familles-professionnelles-fap-2009",
        "file_name": "labour_market/rome_v3_to_fap2009_flat.csv",
        "note": "Tables FAP-225 et FAP-87 ; le pont FAP 2021 → FAP 2009 est calculé par rapprochement des intitulés.",
    },
}


def dataset(code: str, *, report: SyncReport, row_count: int) -> Dataset:
    upsert(Dataset, {code: {**DATASETS[code], "row_count": row_count}}, key="code", report=report)
    return Dataset.objects.get(code=code)


def labour_path(data_dir: Path, relative: str) -> Path:
    return Path(data_dir) / LABOUR_DIR / relative


def sync_bmo(report: SyncReport, *, path: Path, quiet: bool = True) -> None:
    """BMO 2025: every basin of the file (all France or the regional extract)."""
    rows, labels = labour.read_bmo(path, dataset_code="bmo-2025", report=report, quiet=quiet)
    if not rows:
        raise SourceError("aucune ligne valide", path=path)
    source = dataset("bmo-2025", report=report, row_count=len(rows))
    for values in rows.values():
        values["dataset_id"] = source.pk
    upsert(HiringProjects, rows, key="key", report=report, delete_missing=True)
    # The DARES nomenclature (sync_labour_fap) names FAP 2021 codes; the survey's own labels only fill the gaps,
    # so the two imports never rewrite each other's labels.
    known = set(
        FapOccupation.objects.filter(version=FapOccupation.Version.FAP2021).values_list("code", flat=True)
    )
    missing = {code: label for code, (label, _family) in labels.items() if code not in known}
    if missing:
        _upsert_fap2021(missing, families={code: labels[code][1] for code in missing}, report=report)
    report.notes.append(f"{len(rows)} cellules métier × bassin, {len(labels)} métiers BMO")


def _upsert_fap2021(labels: dict[str, str], *, families: dict[str, str], report: SyncReport) -> None:
    labels_2009 = {  # the 225 families (5 characters), not the 87 groups
        code: label
        for code, label in FapOccupation.objects.filter(version=FapOccupation.Version.FAP2009).values_list(
            "code", "label"
        )
        if len(code) == 5
    }
    bridge = bridge_fap2021(labels, labels_2009)
    rows = {
        f"2021:{code}": {
            "version": FapOccupation.Version.FAP2021,
            "code": code,
            "label": label,
            "family": families.get(code, ""),
            "equivalent_2009": bridge.get(code, ("", None))[0],
            "equivalence_score": bridge.get(code, ("", None))[1],
        }
        for code, label in labels.items()
    }
    upsert(FapOccupation, rows, key="key", report=report)


BRIDGE_MIN_SCORE = 70


def _fap_words(label: str) -> str:
    return fold(label).replace("salaries", "").replace("ouviers", "ouvriers")


def bridge_fap2021(labels_2021: dict[str, str], labels_2009: dict[str, str]) -> dict[str, tuple[str, int]]:
    """FAP-2021 → FAP-2009 by label similarity within the same domain letter (no official table exists
    offline). Pairs scoring below BRIDGE_MIN_SCORE are left unbridged rather than guessed."""
    by_letter: dict[str, dict[str, str]] = {}
    for code, label in labels_2009.items():
        by_letter.setdefault(code[0], {})[code] = _fap_words(label)
    bridge = {}
    for code, label in labels_2021.items():
        candidates = by_letter.get(code[0])
        if not candidates:
            continue
        best = process.extractOne(_fap_words(label), candidates, scorer=fuzz.token_set_ratio)
        if best and best[1] >= BRIDGE_MIN_SCORE:
            bridge[code] = (best[2], round(best[1]))
    return bridge


def sync_rome_fap(report: SyncReport, *, data_dir: Path) -> None:
    flat = labour_path(data_dir, "rome_v3_to_fap2009_flat.csv")
    links, labels = labour.read_rome_fap(flat, report=report)
    links87, labels87 = labour.read_rome_fap87(
        labour_path(data_dir, "Rome_to_Fap_processed.csv"), report=report
    )
    source = dataset("rome-fap-dares", report=report, row_count=len(links) + len(links87))
    rows = {
        f"2009:{code}": {"version": FapOccupation.Version.FAP2009, "code": code, "label": label, "family": ""}
        for code, label in {**labels87, **labels}.items()
    }
    upsert(FapOccupation, rows, key="key", report=report)
    link_rows = {
        f"{rome}:{fap}": {"rome_code": rome, "fap_code": fap, "dataset_id": source.pk}
        for rome, fap in links | links87
    }
    upsert(RomeFapLink, link_rows, key="key", report=report, delete_missing=True)
    fap2021 = labour.read_fap2021(labour_path(data_dir, "dares_nomenclature_fap2021.csv"), report=report)
    _upsert_fap2021(
        {code: label for code, (label, _family) in fap2021.items()},
        families={code: family for code, (_label, family) in fap2021.items()},
        report=report,
    )
    report.notes.append(f"{len(links)} liens ROME v3 → FAP-225, {len(links87)} liens ROME v3 → FAP-87")


def sync_tension(report: SyncReport, *, path: Path, quiet: bool = True) -> None:
    rows = labour.read_tension(path, dataset_code="tensions-2021", report=report, quiet=quiet)
    if not rows:
        raise SourceError("aucune ligne valide", path=path)
    source = dataset("tensions-2021", report=report, row_count=len(rows))
    for values in rows.values():
        values["dataset_id"] = source.pk
    upsert(TensionFigure, rows, key="key", report=report, delete_missing=True)


def region_commune_resolver(region_code: str):
    """INSEE code (current, arrondissement or former) → current commune code when it lies in the region."""
    communes = set(Commune.objects.filter(region_id=region_code).values_list("code", flat=True))
    aliases = dict(
        CommuneAlias.objects.filter(commune__region_id=region_code).values_list("code", "commune_id")
    )

    def commune_of(code: str) -> str | None:
        code = code.zfill(5)
        if code in communes:
            return code
        return aliases.get(code)

    return commune_of, len(communes)


def sync_open_offers(report: SyncReport, *, path: Path, quiet: bool = True) -> None:
    commune_of, known = region_commune_resolver(settings.REGION_CODE)
    if not known:
        raise SourceError(
            f"aucune commune de la région {settings.REGION_CODE} en base : chargez d'abord les territoires",
            path=path,
        )
    rows, totals = labour.read_open_offers(
        path, dataset_code="offres-2021-12-21", commune_of=commune_of, report=report, quiet=quiet
    )
    source = dataset("offres-2021-12-21", report=report, row_count=len(rows))
    for values in rows.values():
        values["dataset_id"] = source.pk
    upsert(OfferCount, rows, key="key", report=report, delete_missing=True)
    report.notes.append(
        f"{totals['total']} offres lues : {totals['region']} dans la région, {totals['outside']} hors région, "
        f"{totals['no_commune']} sans commune"
    )


def sync_tension_list(report: SyncReport, *, path: Path) -> None:
    by_name = {fold(name): code for code, name in Region.objects.values_list("code", "name")}
    rows = labour.read_tension_list(
        path,
        dataset_code="metiers-tension-2024",
        region_code_of=lambda name: by_name.get(fold(name)),
        report=report,
    )
    source = dataset("metiers-tension-2024", report=report, row_count=len(rows))
    for values in rows.values():
        values["dataset_id"] = source.pk
    upsert(TensionListEntry, rows, key="key", report=report, delete_missing=True)


def sync_dares_series(report: SyncReport, *, path: Path) -> None:
    rows = labour.read_dares_series(path, report=report)
    if not rows:
        raise SourceError("aucune ligne valide", path=path)
    source = dataset("dares-tensions", report=report, row_count=len(rows))
    for values in rows.values():
        values["dataset_id"] = source.pk
    upsert(TensionSeries, rows, key="key", report=report, delete_missing=True)
