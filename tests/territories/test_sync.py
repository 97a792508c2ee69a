"""sync_territories on small fixture files (tests/territories/data).

The fixture territory uses codes that exist nowhere in France (région 98/99, départements 96/97), so these
tests hold whether or not the real reference data was loaded earlier in the session.
"""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.sync import SourceError, run_sync
from territories import services
from territories.models import Bassin, Commune, CommuneAlias, Departement, Epci, Region, ZoneEmploi
from territories.services import sync_territories

FIXTURES = Path(__file__).parent / "data"
FIXTURE_COMMUNES = ["96001", "96002", "96003", "97056"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


def sync(data_dir, *, write=True):
    return run_sync(lambda report: sync_territories(report, data_dir=data_dir), write=write)


def counts(report):
    return {label: (c.created, c.updated, c.unchanged) for label, c in report.counts.items()}


def test_write_creates_every_table_from_the_files(data_dir):
    report = sync(data_dir)

    assert counts(report) == {
        "régions": (2, 0, 0),
        "départements": (2, 0, 0),
        "EPCI": (2, 0, 0),
        "zones d'emploi": (2, 0, 0),
        "bassins d'emploi": (3, 0, 0),
        "communes": (4, 0, 0),
        "anciens codes et codes rattachés": (4, 0, 0),
    }
    centre = Commune.objects.get(pk="96001")
    assert centre.name == "Villecentre"
    assert centre.search_name == "villecentre"
    assert (centre.departement_id, centre.region_id, centre.epci_id) == ("96", "98", "200000001")
    assert (centre.zone_emploi_id, centre.bassin_id) == ("9801", "9801")
    assert centre.postal_code_list == ["96000", "96080"]
    assert (centre.population, centre.siren) == (130000, "219600017")
    assert (centre.latitude, centre.longitude) == (46.9, -6.3)
    assert Commune.objects.get(pk="96002").search_name == "dreuil les villecentre"
    assert Departement.objects.get(pk="96").longitude == -6.3
    assert Epci.objects.get(pk="200000002").kind == "METRO"
    assert Region.objects.get(pk="99").name == "Autre région d'essai"


def test_fallbacks_for_communes_newer_than_the_zoning_files(data_dir):
    sync(data_dir)

    nouvelle = Commune.objects.get(pk="96003")  # commune nouvelle: no line in the ZE file under its code
    assert nouvelle.zone_emploi_id == "9801"  # found by name in its département
    assert nouvelle.bassin_id == "9802"  # through its commune déléguée 96004
    assert (nouvelle.latitude, nouvelle.longitude) == (46.8, -6.5)  # La Poste, first line with a point
    assert nouvelle.epci_id is None
    metropole = Commune.objects.get(pk="97056")  # only its arrondissements have points
    assert (metropole.latitude, metropole.longitude) == (45.865, -7.34)
    aliases = {
        a.code: (a.commune_id, a.kind) for a in CommuneAlias.objects.filter(commune_id__in=FIXTURE_COMMUNES)
    }
    assert aliases == {
        "96004": ("96003", "deleguee"),
        "96005": ("96003", "former"),
        "97901": ("97056", "arrondissement"),
        "97902": ("97056", "arrondissement"),
    }


def test_second_run_changes_nothing_and_says_so(data_dir):
    sync(data_dir)
    report = sync(data_dir)

    assert not report.changed
    assert counts(report)["communes"] == (0, 0, 4)
    assert "Nothing to change: the database already matches the files." in report.lines()


def test_changed_source_updates_only_what_changed(data_dir):
    sync(data_dir)
    path = data_dir / "territories" / "decoupage-administratif" / "communes.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"population":1500', '"population":1600'), "utf-8"
    )

    report = sync(data_dir)

    assert counts(report)["communes"] == (0, 1, 3)
    assert counts(report)["EPCI"] == (0, 0, 2)
    assert Commune.objects.get(pk="96002").population == 1600


def test_dry_run_writes_nothing_and_reports_what_it_would_do(data_dir):
    report = sync(data_dir, write=False)

    assert counts(report)["communes"] == (4, 0, 0)
    assert "note: dry run: nothing was written (pass --write to apply)" in report.lines()
    assert not Commune.objects.filter(pk__in=FIXTURE_COMMUNES).exists()
    assert not Region.objects.filter(pk="98").exists()


def test_command_is_a_dry_run_by_default_and_writes_with_write(data_dir):
    out = io.StringIO()
    call_command("sync_territories", data_dir=data_dir, stdout=out, stderr=io.StringIO())
    assert "dry run (nothing will be written; pass --write to apply)" in out.getvalue()
    assert "communes: 4 created, 0 updated, 0 unchanged" in out.getvalue()
    assert not Commune.objects.filter(pk="96001").exists()

    call_command("sync_territories", data_dir=data_dir, write=True, verbosity=0)
    assert Commune.objects.filter(pk__in=FIXTURE_COMMUNES).count() == 4
    assert ZoneEmploi.objects.filter(pk__in=["9801", "9901"]).count() == 2
    assert Bassin.objects.get(pk="9802").name == "ESSAI NORD"


def test_failure_while_writing_rolls_everything_back(data_dir, monkeypatch):
    real_upsert = services.upsert

    def failing_upsert(model, rows, **kwargs):
        if model is CommuneAlias:  # the last table: everything before it was written already
            raise RuntimeError("disk full")
        return real_upsert(model, rows, **kwargs)

    monkeypatch.setattr(services, "upsert", failing_upsert)
    with pytest.raises(RuntimeError):
        sync(data_dir)
    assert not Commune.objects.filter(pk__in=FIXTURE_COMMUNES).exists()
    assert not Epci.objects.filter(pk="200000001").exists()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("relative_path", "old", "new", "where", "message"),
    [
        (
            "decoupage-administratif/communes.json",
            '"code":"96002"',
            '"code":"9600X"',
            "communes.json:3 [code]",
            "invalid value '9600X'",
        ),
        (
            "decoupage-administratif/communes.json",
            '"population":1500',
            '"population":"beaucoup"',
            "communes.json:3 [population]",
            "expected a whole number",
        ),
        (
            "decoupage-administratif/communes.json",
            '"departement":"97","region":"99","type":"commune-actuelle"',
            '"departement":"95","region":"99","type":"commune-actuelle"',
            "communes.json:6 [departement]",
            "unknown département '95'",
        ),
        (
            "decoupage-administratif/communes.json",
            '"codesPostaux":["96470"]',
            '"codesPostaux":["9647"]',
            "communes.json:3 [codesPostaux]",
            "5-digit postal codes",
        ),
        ("decoupage-administratif/epci.json", '"type":"CA",', '"type":"CA",,', "epci.json:2", "invalid JSON"),
        ("communes.csv", "46.92,-6.35", "46.92,-6.3x", "communes.csv:4 [lng]", "expected a decimal number"),
        ("communes.csv", "46.92,-6.35", "146.9,-6.35", "communes.csv:4 [lat]", "out of range"),
        (
            "ze2020_composition_communale_geo2022.csv",
            "97056,Métropole,9901",
            "97056,Métropole,9999",
            "ze2020_composition_communale_geo2022.csv:5 [ZE2020]",
            "not in ze2020_liste_geo2022.csv",
        ),
        (
            "France_Travail_Bassin_Emploi_2021.csv",
            "reg,dep,codgeo,codbe,libbe",
            "reg,dep,codgeo,code_bassin,libbe",
            "France_Travail_Bassin_Emploi_2021.csv:1",
            "missing column(s) codbe",
        ),
        (
            "France_Travail_Bassin_Emploi_2021.csv",
            "98,96,96004,9802,ESSAI NORD",
            "98,96,96004,9802,ESSAI NORD,extra",
            "France_Travail_Bassin_Emploi_2021.csv:4",
            "6 values for 5 columns",
        ),
    ],
)
def test_malformed_input_names_file_line_and_field(data_dir, relative_path, old, new, where, message):
    replace_in(data_dir / "territories" / relative_path, old, new)

    with pytest.raises(SourceError) as caught:
        sync(data_dir)

    assert where in str(caught.value)
    assert message in str(caught.value)
    assert not Commune.objects.filter(pk__in=FIXTURE_COMMUNES).exists()


def test_command_reports_malformed_input_as_an_error_and_writes_nothing(data_dir):
    replace_in(data_dir / "territories" / "communes.csv", "46.92,-6.35", "46.92,abc")

    with pytest.raises(CommandError, match=r"communes\.csv:4 \[lng\].*nothing was written"):
        call_command("sync_territories", data_dir=data_dir, write=True, verbosity=0)
    assert not Commune.objects.filter(pk__in=FIXTURE_COMMUNES).exists()


def test_missing_file_is_named(data_dir):
    (data_dir / "territories" / "ze2020_liste_geo2022.csv").unlink()

    with pytest.raises(SourceError, match=r"ze2020_liste_geo2022\.csv: file not found"):
        sync(data_dir)


def test_json_items_must_be_objects(data_dir):
    path = data_dir / "territories" / "decoupage-administratif" / "regions.json"
    path.write_text(json.dumps([{"code": "98", "nom": "Région d'essai"}, "99"], indent=1), "utf-8")

    with pytest.raises(SourceError, match=r"regions\.json:6: expected a JSON object"):
        sync(data_dir)


def test_la_poste_file_is_optional(data_dir):
    (data_dir / "naf" / "laposte_hexasmal.csv").unlink()

    report = sync(data_dir)

    assert Commune.objects.get(pk="96003").latitude is None
    assert any("coordinates:" in note and "1 none" in note for note in report.notes)


def test_progress_bar_only_when_verbose(data_dir):
    quiet, verbose = io.StringIO(), io.StringIO()
    call_command("sync_territories", data_dir=data_dir, verbosity=0, stdout=io.StringIO(), stderr=quiet)
    call_command("sync_territories", data_dir=data_dir, verbosity=1, stdout=io.StringIO(), stderr=verbose)
    assert quiet.getvalue() == ""
    assert "communes.json" in verbose.getvalue() and "territoires" in verbose.getvalue()
