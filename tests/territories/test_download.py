"""`sync-territories --download` against recorded responses (never the network)."""

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
import responses
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from territories import download, sources
from territories.models import Commune

FIXTURES = Path(__file__).parent / "data" / "territories"


def npm_package() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name in download.DECOUPAGE_FILES:
            content = (FIXTURES / sources.DECOUPAGE_DIR / name).read_bytes()
            info = tarfile.TarInfo(f"package/data/{name}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def insee_zip() -> bytes:
    """INSEE's layout: a zip holding one workbook whose sheets start with title lines above the header."""
    book = Workbook()
    book.remove(book.active)
    for sheet_name, csv_name in (
        ("ZE2020", sources.ZE_LIST_FILE),
        ("Composition_communale", sources.ZE_COMPOSITION_FILE),
    ):
        sheet = book.create_sheet(sheet_name)
        sheet.append(["Zones d'emploi 2020 — géographie au 01/01/2022"])
        sheet.append(["Source : Insee"])
        sheet.append([])
        lines = (FIXTURES / csv_name).read_text(encoding="utf-8").splitlines()
        for line in lines:
            sheet.append(line.split(","))
    workbook = io.BytesIO()
    book.save(workbook)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("ZE2020_au_01-01-2022.xlsx", workbook.getvalue())
    return buffer.getvalue()


def record_sources(rsps):
    rsps.get(download.DECOUPAGE_URL, body=npm_package())
    rsps.get(download.ZE2020_URL, body=insee_zip())
    rsps.get(download.BASSIN_URL, body=(FIXTURES / sources.BASSIN_FILE).read_bytes())
    for name in (sources.COORDINATES_FILE, sources.DEPARTEMENT_COORDINATES_FILE):
        rsps.get(download.COORDINATES_BASE_URL + name, body=(FIXTURES / name).read_bytes())


@responses.activate
def test_download_writes_every_source_file(tmp_path):
    record_sources(responses)

    lines = list(download.download_territories(data_dir=tmp_path))

    directory = tmp_path / "territories"
    for name in download.DECOUPAGE_FILES:
        assert (directory / sources.DECOUPAGE_DIR / name).read_bytes() == (
            FIXTURES / sources.DECOUPAGE_DIR / name
        ).read_bytes()
    # The workbook's sheets become the CSV files the sync reads, title lines dropped.
    assert (directory / sources.ZE_LIST_FILE).read_text().splitlines() == [
        "ZE2020,LIBZE2020,NB_COM",
        "9801,Villecentre,3",
        "9901,Métropole,1",
    ]
    assert (
        (directory / sources.ZE_COMPOSITION_FILE)
        .read_text()
        .splitlines()[1]
        .startswith("96001,Villecentre,9801")
    )
    assert (directory / sources.BASSIN_FILE).exists() and (directory / sources.COORDINATES_FILE).exists()
    assert len(lines) == 9
    assert all("←" in line for line in lines)
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.django_db
@responses.activate
def test_command_downloads_then_syncs(tmp_path):
    record_sources(responses)
    out = io.StringIO()

    call_command(
        "sync_territories", download=True, write=True, data_dir=tmp_path, stdout=out, stderr=io.StringIO()
    )

    assert f"{sources.BASSIN_FILE} ← {download.BASSIN_URL}" in out.getvalue()
    assert "communes: 4 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Commune.objects.get(pk="96002").zone_emploi_id == "9801"


@responses.activate
def test_http_error_names_the_url(tmp_path):
    responses.get(download.DECOUPAGE_URL, status=404)

    with pytest.raises(
        download.DownloadError, match=r"decoupage-administratif-6\.0\.0\.tgz: download failed \(404"
    ):
        list(download.download_territories(data_dir=tmp_path))


@responses.activate
def test_unexpected_archive_is_refused(tmp_path):
    responses.get(download.DECOUPAGE_URL, body=npm_package())
    responses.get(download.ZE2020_URL, body=b"<html>maintenance</html>")

    with pytest.raises(download.DownloadError, match="not a zip archive"):
        list(download.download_territories(data_dir=tmp_path))


@pytest.mark.django_db
@responses.activate
def test_command_turns_download_errors_into_command_errors(tmp_path):
    responses.get(download.DECOUPAGE_URL, body=b"not a tarball")

    with pytest.raises(CommandError, match="not the expected npm package"):
        call_command("sync_territories", download=True, data_dir=tmp_path, verbosity=0)
