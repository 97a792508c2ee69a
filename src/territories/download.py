"""`sync-territories --download`: fetch the source files into DATA_DIR/territories for machines without the
shared data folder. Every URL, licence and vintage is listed in docs/territories.md.

Files are written atomically (temporary file, then rename), so an interrupted download never leaves half a
file for the sync to read.
"""

from __future__ import annotations

import csv
import io
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import requests

from territories import sources

TIMEOUT_SECONDS = 60
DECOUPAGE_VERSION = "6.0.0"
# Etalab's package behind geo.api.gouv.fr (COG, EPCI, populations, postal codes), as published on npm.
DECOUPAGE_URL = (
    "https://registry.npmjs.org/@etalab/decoupage-administratif/-/"
    f"decoupage-administratif-{DECOUPAGE_VERSION}.tgz"
)
DECOUPAGE_FILES = ("regions.json", "departements.json", "communes.json", "epci.json")
# INSEE, "Zonage en zones d'emploi 2020", composition communale, géographie au 01/01/2022
# (landing page https://www.insee.fr/fr/information/4652957).
ZE2020_URL = "https://www.insee.fr/fr/statistiques/fichier/4652957/ZE2020_au_01-01-2022.zip"
# France Travail BMO basins (2021 zoning), copy published by Data For Good's OD&IS project (pinned commit).
BASSIN_URL = (
    "https://raw.githubusercontent.com/jbesan/13_odis_stream2/"
    "c61544fd00c1da9e46da3df441a9be442355a77f/csv/France_Travail_Bassin_Emploi_2021.csv"
)
# Commune and département points (La Poste base officielle des codes postaux, IGN centres), datas.fun.
COORDINATES_BASE_URL = (
    "https://raw.githubusercontent.com/rcarlier/datas.fun/b9874080432e11b943e93aeae75ee372a024697b/France/"
)


class DownloadError(Exception):
    pass


def download_territories(*, data_dir: Path) -> Iterator[str]:
    """Fetch every territories source into `data_dir`/territories; yields one line per file written."""
    directory = Path(data_dir) / "territories"
    (directory / sources.DECOUPAGE_DIR).mkdir(parents=True, exist_ok=True)
    session = requests.Session()

    archive = _get(session, DECOUPAGE_URL)
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            for name in DECOUPAGE_FILES:
                member = tar.extractfile(f"package/data/{name}")
                if member is None:
                    raise KeyError(name)
                _write(directory / sources.DECOUPAGE_DIR / name, member.read())
                yield f"{sources.DECOUPAGE_DIR}/{name} ← {DECOUPAGE_URL}"
    except (tarfile.TarError, KeyError, EOFError, OSError) as exc:
        raise DownloadError(f"{DECOUPAGE_URL}: not the expected npm package ({exc})") from exc

    workbook = _ze_workbook(session)
    for name, sheet, header in (
        (sources.ZE_LIST_FILE, "ZE2020", "ZE2020"),
        (sources.ZE_COMPOSITION_FILE, "Composition_communale", "CODGEO"),
    ):
        _write(directory / name, _xlsx_sheet_as_csv(workbook, sheet=sheet, first_header=header))
        yield f"{name} ← {ZE2020_URL} (sheet {sheet})"

    _write(directory / sources.BASSIN_FILE, _get(session, BASSIN_URL))
    yield f"{sources.BASSIN_FILE} ← {BASSIN_URL}"
    for name in (sources.COORDINATES_FILE, sources.DEPARTEMENT_COORDINATES_FILE):
        url = COORDINATES_BASE_URL + name
        _write(directory / name, _get(session, url))
        yield f"{name} ← {url}"


def _ze_workbook(session: requests.Session) -> bytes:
    """INSEE's zip holds one workbook with both the list of zones and the commune composition."""
    archive = _get(session, ZE2020_URL)
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            names = [name for name in zipped.namelist() if name.lower().endswith(".xlsx")]
            if not names:
                raise DownloadError(f"{ZE2020_URL}: no .xlsx file in the archive ({zipped.namelist()})")
            return zipped.read(names[0])
    except zipfile.BadZipFile as exc:
        raise DownloadError(f"{ZE2020_URL}: not a zip archive ({exc})") from exc


def _xlsx_sheet_as_csv(workbook: bytes, *, sheet: str, first_header: str) -> bytes:
    """One sheet of INSEE's workbook as CSV, starting at the row of variable codes (title rows skipped)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(workbook), read_only=True, data_only=True)
        rows = book[sheet].iter_rows(values_only=True)
    except KeyError as exc:
        raise DownloadError(f"{ZE2020_URL}: no sheet {sheet!r} in the workbook") from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise DownloadError(f"{ZE2020_URL}: unreadable workbook ({exc})") from exc
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    started = False
    for row in rows:
        if not started:
            started = bool(row) and row[0] == first_header
        if started and any(cell not in (None, "") for cell in row):
            writer.writerow(["" if cell is None else cell for cell in row])
    if not started:
        raise DownloadError(f"{ZE2020_URL}: sheet {sheet!r} has no header row starting with {first_header!r}")
    return out.getvalue().encode("utf-8")


def _get(session: requests.Session, url: str) -> bytes:
    try:
        response = session.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
    except requests.RequestException as exc:
        raise DownloadError(f"{url}: download failed ({exc})") from exc
    return response.content


def _write(path: Path, content: bytes) -> None:
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(content)
    temporary.replace(path)
