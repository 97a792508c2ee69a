"""Fetching the official ROME 4.0 open-data export (RefRomeCsv zip) for machines without the shared data folder.

France Travail publishes the referential on data.gouv.fr (Licence Ouverte / Etalab 2.0). The dataset's resources
are listed by the data.gouv.fr API; the CSV export is the zip resource named "RefRomeCsv". Only its
`unix_*_utf8.csv` files and `version.txt` are extracted, flat, into the target folder.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

import requests

DATASET_API_URL = (
    "https://www.data.gouv.fr/api/1/datasets/repertoire-operationnel-des-metiers-et-des-emplois-rome/"
)
DATASET_PAGE_URL = (
    "https://www.data.gouv.fr/fr/datasets/repertoire-operationnel-des-metiers-et-des-emplois-rome/"
)
WANTED_MEMBER = re.compile(r"^(unix_[a-z_]+_v\d+_utf8\.csv|version\.txt)$")
TIMEOUT = 60


class DownloadError(Exception):
    pass


def find_csv_export_url(session: requests.Session) -> str:
    """The URL of the RefRomeCsv zip among the dataset's resources."""
    try:
        response = session.get(DATASET_API_URL, timeout=TIMEOUT)
        response.raise_for_status()
        resources = response.json().get("resources", [])
    except (requests.RequestException, ValueError) as exc:
        raise DownloadError(f"cannot list the ROME dataset's files at {DATASET_API_URL}: {exc}") from exc
    for resource in resources:
        url, title = resource.get("url") or "", resource.get("title") or ""
        if "refromecsv" in (url + " " + title).lower().replace("_", "") and (
            url.lower().endswith(".zip") or (resource.get("format") or "").lower() == "zip"
        ):
            return url
    raise DownloadError(f"no RefRomeCsv zip among the resources of {DATASET_PAGE_URL}")


def download_rome(target: Path, *, session: requests.Session | None = None) -> list[str]:
    """Download the export and extract its CSV files into `target`; returns report lines."""
    session = session or requests.Session()
    url = find_csv_export_url(session)
    try:
        response = session.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        archive = zipfile.ZipFile(io.BytesIO(response.content))
    except requests.RequestException as exc:
        raise DownloadError(f"cannot download {url}: {exc}") from exc
    except zipfile.BadZipFile as exc:
        raise DownloadError(f"{url} is not a zip archive") from exc
    extracted = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for member in archive.infolist():
            name = PurePosixPath(member.filename).name  # flatten folders; never write outside `target`
            if member.is_dir() or not WANTED_MEMBER.match(name):
                continue
            (target / name).write_bytes(archive.read(member))
            extracted.append(name)
    except OSError as exc:
        raise DownloadError(f"cannot write the files into {target}: {exc.strerror or exc}") from exc
    if not any(name.startswith("unix_referentiel_appellation_") for name in extracted):
        raise DownloadError(f"{url} holds no unix_referentiel_appellation_v<version>_utf8.csv file")
    return [f"downloaded {url}", f"extracted {len(extracted)} files into {target}"]
