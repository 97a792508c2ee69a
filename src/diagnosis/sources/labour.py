"""Readers for the labour-market files of DATA_DIR/labour_market: each yields plain rows keyed by their
natural key and never touches the database. A bad record is reported (file:line [field]) and skipped."""

from __future__ import annotations

import bz2
import csv
import io
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from core.sync import SourceError, SyncReport, read_csv

BMO_COLUMNS = ("Code métier BMO", "Nom métier BMO", "REG", "Dept", "BE25", "NOMBE25", "met", "xmet", "smet")
TENSION_COLUMNS = (
    "annee",
    "ROME",
    "cbassin",
    "oee",
    "defm_abc",
    "ind_tension_d",
    "ind_int_emb_d",
    "ind_main_oeuvre_d",
    "ind_dur_empl_d",
    "ind_cond_travail_d",
    "ind_mismatch_geo_d",
    "ind_specif_form_empl_d",
)
TENSION_COMPONENTS = {
    "ind_tension_d": "tension_class",
    "ind_int_emb_d": "hiring_intensity",
    "ind_main_oeuvre_d": "labour_shortage",
    "ind_dur_empl_d": "non_durable",
    "ind_cond_travail_d": "working_conditions",
    "ind_mismatch_geo_d": "geographic_mismatch",
    "ind_specif_form_empl_d": "training_link",
}


def _progress(iterable, *, desc: str, quiet: bool):
    return tqdm(iterable, desc=desc, unit=" lignes", disable=quiet, mininterval=0.5, leave=False)


def _count(value: str, *, path: Path, line: int, field: str) -> int | None:
    """A BMO count: digits, or "*" for statistical secret (kept as unknown, never as 0)."""
    value = value.strip()
    if value == "*":
        return None
    if not value.isdigit():
        raise SourceError(
            f"« {value} » n'est ni un nombre entier ni le secret statistique « * »",
            path=path,
            line=line,
            field=field,
        )
    return int(value)


def _decimal(value: str, *, path: Path, line: int, field: str) -> float:
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        raise SourceError(f"« {value} » n'est pas un nombre", path=path, line=line, field=field) from None
    if number < 0:
        raise SourceError(f"valeur négative {number}", path=path, line=line, field=field)
    return number


def _class(value: str, *, path: Path, line: int, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value not in {"1", "2", "3", "4", "5"}:
        raise SourceError(f"classe « {value} » hors de 1 à 5", path=path, line=line, field=field)
    return int(value)


def _guard(report: SyncReport, build: Callable[[], dict | None]):
    try:
        return build()
    except SourceError as exc:
        report.rejected.append(str(exc))
        return None


def read_bmo(path: Path, *, dataset_code: str, report: SyncReport, quiet: bool = True):
    """BMO open data: ({key: row}, {fap_code: (label, family label)})."""
    rows, labels = {}, {}
    for line, raw in _progress(read_csv(path, required=BMO_COLUMNS), desc="BMO", quiet=quiet):

        def build(line=line, raw=raw):
            fap, bassin = raw["Code métier BMO"].strip(), raw["BE25"].strip()
            departement = raw["Dept"].strip().zfill(2)
            if not fap or not bassin:
                raise SourceError("code métier ou bassin vide", path=path, line=line, field="BE25")
            values = {
                name: _count(raw[column], path=path, line=line, field=column)
                for name, column in (("projects", "met"), ("difficult", "xmet"), ("seasonal", "smet"))
            }
            labels[fap] = (raw["Nom métier BMO"].strip(), raw.get("Lbl_fam_met", "").strip())
            return {
                # a basin straddling départements has one row per part
                f"{dataset_code}:{fap}:{bassin}:{departement}": {
                    "fap_code": fap,
                    "region_code": raw["REG"].strip().zfill(2),
                    "departement_code": departement,
                    "bassin_code": bassin,
                    "bassin_name": raw["NOMBE25"].strip(),
                    **values,
                }
            }

        if (row := _guard(report, build)) is not None:
            key = next(iter(row))
            if key in rows:
                report.rejected.append(f"{path}:{line}: ligne en double pour {key}")
                continue
            rows.update(row)
    return rows, labels


def read_tension(path: Path, *, dataset_code: str, report: SyncReport, quiet: bool = True) -> dict:
    """Mobiville `cities-tension-utf8.csv` (`;`, decimal comma): {key: row} by ROME v3 × basin."""
    rows = {}
    for line, raw in _progress(
        read_csv(path, delimiter=";", required=TENSION_COLUMNS), desc="Tensions", quiet=quiet
    ):

        def build(line=line, raw=raw):
            rome, bassin = raw["ROME"].strip().upper(), raw["cbassin"].strip()
            if len(rome) != 5:
                raise SourceError(f"code ROME « {rome} » invalide", path=path, line=line, field="ROME")
            values = {
                "rome_code": rome,
                "bassin_code": bassin,
                "offers": _decimal(raw["oee"], path=path, line=line, field="oee"),
                "job_seekers": _decimal(raw["defm_abc"], path=path, line=line, field="defm_abc"),
            }
            for column, name in TENSION_COMPONENTS.items():
                values[name] = _class(raw[column], path=path, line=line, field=column)
            return {f"{dataset_code}:{rome}:{bassin}": values}

        if (row := _guard(report, build)) is not None:
            rows.update(row)
    return rows


def read_open_offers(
    path: Path,
    *,
    dataset_code: str,
    commune_of: Callable[[str], str | None],
    report: SyncReport,
    quiet: bool = True,
) -> tuple[dict, dict]:
    """Open offers by commune × ROME (bz2 or plain CSV, `;`), summed while streaming.

    `commune_of` maps a source INSEE code to the current commune code when it lies in the region, else None.
    Returns ({key: row} for the region, {"total": n, "region": n, "no_commune": n, "outside": n})."""
    opener = bz2.open if path.suffix == ".bz2" else open
    try:
        handle = opener(path, "rt", encoding="utf-8", newline="")
    except FileNotFoundError as exc:
        raise SourceError("file not found", path=path) from exc
    sums: dict[tuple[str, str], int] = defaultdict(int)
    totals = {"total": 0, "region": 0, "no_commune": 0, "outside": 0}
    with handle:
        reader = csv.reader(handle if not isinstance(handle, io.BytesIO) else handle, delimiter=";")
        header = next(reader, [])
        expected = ["commune", "dc_rome_id", "nb_offre"]
        if header[:3] != expected:
            raise SourceError(f"en-tête attendu {expected}, trouvé {header}", path=path, line=1)
        try:
            for line, fields in enumerate(_progress(reader, desc="Offres", quiet=quiet), start=2):
                if len(fields) < 3:
                    report.rejected.append(f"{path}:{line}: {len(fields)} valeurs au lieu de 4")
                    continue
                commune, rome, count = fields[0].strip(), fields[1].strip().upper(), fields[2].strip()
                if not count.isdigit():
                    report.rejected.append(f"{path}:{line} [nb_offre]: « {count} » n'est pas un entier")
                    continue
                offers = int(count)
                totals["total"] += offers
                if not commune:
                    totals["no_commune"] += offers
                    continue
                current = commune_of(commune)
                if current is None:
                    totals["outside"] += offers
                    continue
                totals["region"] += offers
                sums[(current, rome)] += offers
        except (csv.Error, EOFError, OSError) as exc:
            raise SourceError(f"fichier illisible ({exc})", path=path) from exc
    rows = {
        f"{dataset_code}:{rome}:{commune}": {"rome_code": rome, "commune_code": commune, "offers": offers}
        for (commune, rome), offers in sums.items()
    }
    return rows, totals


def read_tension_list(
    path: Path, *, dataset_code: str, region_code_of: Callable[[str], str | None], report: SyncReport
) -> dict:
    rows = {}
    for line, raw in read_csv(path, required=("Region", "Famille Professionnelle", "Code FAP")):
        region_name, fap = raw["Region"].strip(), raw["Code FAP"].strip().upper()
        if len(fap) != 5:
            report.rejected.append(f"{path}:{line} [Code FAP]: code « {fap} » invalide")
            continue
        region_code = "" if region_name == "France Entière" else region_code_of(region_name)
        if region_code is None:
            report.rejected.append(f"{path}:{line} [Region]: région « {region_name} » inconnue")
            continue
        rows[f"{dataset_code}:{region_code or 'FR'}:{fap}"] = {
            "region_name": region_name,
            "region_code": region_code,
            "fap_code": fap,
            "label": raw["Famille Professionnelle"].strip(),
        }
    return rows


def read_rome_fap(path: Path, *, report: SyncReport) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """DARES ROME v3 → FAP-2009 (225 families): ({(rome, fap)}, {fap: label})."""
    links, labels = set(), {}
    for line, raw in read_csv(path, required=("fap2009_225", "fap2009_libelle", "rome_v3")):
        fap, rome = raw["fap2009_225"].strip().upper(), raw["rome_v3"].strip().upper()
        if len(fap) != 5 or len(rome) != 5:
            report.rejected.append(f"{path}:{line} [rome_v3]: couple « {rome} / {fap} » invalide")
            continue
        links.add((rome, fap))
        labels[fap] = raw["fap2009_libelle"].strip().rstrip("*")
    return links, labels


def read_rome_fap87(path: Path, *, report: SyncReport) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """The flattened ROME v3 → FAP-87 table: ({(rome, fap87)}, {fap87: label})."""
    links, labels = set(), {}
    for line, raw in read_csv(path, required=("fap87", "famille_pro87", "rome")):
        fap, rome = raw["fap87"].strip().upper(), raw["rome"].strip().upper()
        if len(fap) != 3 or len(rome) != 5:
            report.rejected.append(f"{path}:{line} [fap87]: couple « {rome} / {fap} » invalide")
            continue
        links.add((rome, fap))
        labels[fap] = raw["famille_pro87"].strip()
    return links, labels


def read_fap2021(path: Path, *, report: SyncReport) -> dict[str, tuple[str, str]]:
    """DARES FAP-2021 nomenclature: {FAP-228 code: (label, FAP-22 family label)}."""
    labels = {}
    for _line, raw in read_csv(path, delimiter=";", required=("Code FAP 228", "Intitulé FAP 228")):
        labels[raw["Code FAP 228"].strip()] = (
            raw["Intitulé FAP 228"].strip(),
            raw.get("Intitulé FAP 22", ""),
        )
    return labels


def read_dares_series(path: Path, *, report: SyncReport) -> dict:
    """DARES `evol_tensions.csv`: national tension z-score by FAP (2009) and year."""
    rows = {}
    for line, raw in read_csv(path, required=("fap", "Tension ", "Année")):
        fap, year = raw["fap"].strip().upper(), raw["Année"].strip()
        try:
            zscore = float(raw["Tension "])
        except ValueError:
            report.rejected.append(f"{path}:{line} [Tension ]: « {raw['Tension ']} » n'est pas un nombre")
            continue
        if not year.isdigit() or len(fap) not in (3, 5):
            report.rejected.append(f"{path}:{line} [Année]: couple « {fap} / {year} » invalide")
            continue
        rows[f"{fap}:{year}"] = {"fap_code": fap, "year": int(year), "zscore": zscore}
    return rows
