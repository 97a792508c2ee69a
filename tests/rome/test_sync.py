import io
import zipfile

import pytest
import responses
from django.core.management import CommandError, call_command

from rome import download, services
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
from tests.rome.conftest import DATA, rewrite

pytestmark = pytest.mark.usefixtures("empty_rome")
ROME4 = "rome4"
APPELLATIONS = "unix_referentiel_appellation_v460_utf8.csv"


def sync(data_dir, *, write=True, verbosity=1, **options) -> str:
    out = io.StringIO()
    call_command("sync_rome", write=write, data_dir=data_dir, verbosity=verbosity, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_dry_run_reports_the_changes_and_writes_nothing():
    output = sync(DATA, write=False)
    assert "fiches métiers: 3 created, 0 updated, 0 unchanged" in output
    assert "appellations: 29 created" in output
    assert "dry run: nothing was written (pass --write to apply)" in output
    assert not Fiche.objects.exists() and not Appellation.objects.exists() and not RomeImport.objects.exists()


@pytest.mark.django_db
def test_write_loads_every_table():
    output = sync(DATA)
    assert "dry run" not in output
    assert GrandDomaine.objects.count() == 2 and DomaineProfessionnel.objects.count() == 2
    assert Appellation.objects.count() == 29
    assert Appellation.objects.filter(is_principal=True).count() == 3
    assert Appellation.objects.get(code_ogr=10892).rarely_used  # "Aide-soignant à domicile" is peu usité
    web = Fiche.objects.get(code="M1855")
    assert (web.parent_code, web.parent_label) == ("M1805", "Études et développement informatique")
    assert web.domaine_id == "M18" and web.domaine.grand_domaine_id == "M"
    assert web.definition and "''" not in Fiche.objects.get(code="M1805").definition  # doubled quotes fixed
    assert Fiche.objects.get(code="J1501").access
    assert Fiche.objects.get(code="J1501").regulated
    kinds = set(Skill.objects.values_list("kind", flat=True))
    assert kinds == {Skill.Kind.SAVOIR_FAIRE, Skill.Kind.SAVOIR_ETRE, Skill.Kind.SAVOIR}
    assert FicheSkill.objects.count() == 27 - 3  # 3 links to work contexts are not skills
    assert (
        FicheSkill.objects.filter(is_core=True).exists()
        and FicheSkill.objects.filter(is_emerging=True).exists()
    )
    assert list(Mobility.objects.filter(source="J1501").values_list("target", "order")) == [("M1805", 2)]
    assert RomeImport.objects.get().version == "ROME 4.0 version 60 - 25M09 (extrait de test)"


@pytest.mark.django_db
def test_second_run_changes_nothing_and_says_so():
    sync(DATA)
    output = sync(DATA)
    assert "appellations: 0 created, 0 updated, 29 unchanged" in output
    assert "Nothing to change: the database already matches the files." in output
    assert RomeImport.objects.count() == 1  # no new version stamp: caches stay valid


@pytest.mark.django_db
def test_changes_are_diffed(rome_data):
    sync(rome_data)
    appellations = rome_data / ROME4 / APPELLATIONS
    rewrite(appellations, "Webmaster développeur / Webmaster développeuse", "Webmestre développeur")
    lines = appellations.read_text(encoding="utf-8").splitlines(keepends=True)
    appellations.write_text(
        "".join(line for line in lines if not line.startswith('"200151"')), encoding="utf-8"
    )
    rewrite(
        rome_data / ROME4 / "unix_rubrique_mobilite_v460_utf8.csv",
        '"J1501","M1805","2"',
        '"J1501","M1805","3"',
    )
    output = sync(rome_data)
    assert "appellations: 0 created, 1 updated, 27 unchanged, 1 deleted" in output
    assert "mobilités: 0 created, 1 updated, 2 unchanged" in output
    assert Appellation.objects.get(code_ogr=20728).label == "Webmestre développeur"
    assert not Appellation.objects.filter(code_ogr=200151).exists()
    assert RomeImport.objects.count() == 2


@pytest.mark.parametrize(
    ("filename", "old", "new", "location"),
    [
        ("unix_referentiel_code_rome_v460_utf8.csv", '"M1805","567"', '"M18X5","567"', ":3 [code_rome]"),
        (APPELLATIONS, '"14156"', '"14l56"', "[code_ogr]"),
        (APPELLATIONS, '"M1855","Emploi Blanc"', '"Z9999","Emploi Blanc"', "[code_rome]"),
        (APPELLATIONS, '"PRINCIPALE"', '"PRINCIPAL"', "[classification]"),
        (
            "unix_rubrique_mobilite_v460_utf8.csv",
            '"J1501","M1805"',
            '"J1501","K2111"',
            ":4 [code_rome_cible]",
        ),
        ("unix_coherence_item_v460_utf8.csv", '"J1501","300412"', '"J1501","999999"', ":28 [code_ogr]"),
        ("unix_referentiel_savoir_v460_utf8.csv", '"categorie_savoir"', '"categorie"', ":1"),
        ("unix_texte_v460_utf8.csv", '"definition","1"', '"definition","un"', "[position_phrase]"),
    ],
)
@pytest.mark.django_db
def test_malformed_input_names_file_line_and_field_and_writes_nothing(
    rome_data, filename, old, new, location
):
    rewrite(rome_data / ROME4 / filename, old, new)
    with pytest.raises(CommandError) as error:
        sync(rome_data)
    assert filename + location in str(error.value) or (
        filename in str(error.value) and location in str(error.value)
    )
    assert not Fiche.objects.exists()


@pytest.mark.django_db
def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(CommandError, match="rome4: folder not found"):
        sync(tmp_path)


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    sync(DATA)
    before = Appellation.objects.count()
    real_sync_links = services.sync_links

    def failing(model, *args, **kwargs):
        if model is Mobility:
            raise RuntimeError("disk full")
        return real_sync_links(model, *args, **kwargs)

    monkeypatch.setattr(services, "sync_links", failing)
    Appellation.objects.filter(code_ogr=14156).update(label="changed")
    with pytest.raises(RuntimeError):
        sync(DATA)
    # the update the failed run made to the appellation label was rolled back with everything else
    assert Appellation.objects.get(code_ogr=14156).label == "changed"
    assert Appellation.objects.count() == before and RomeImport.objects.count() == 1


@pytest.mark.django_db
def test_verbosity_zero_prints_nothing(capsys):
    assert sync(DATA, verbosity=0) == ""
    assert capsys.readouterr().err == ""


def _zip_of_fixture() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (DATA / ROME4).iterdir():
            archive.write(path, f"RefRomeCsv/{path.name}")
        archive.writestr("RefRomeCsv/../../evil.csv", "x")
    return buffer.getvalue()


ZIP_URL = "https://static.data.gouv.fr/resources/rome/RefRomeCsv.zip"


@responses.activate
@pytest.mark.django_db
def test_download_fetches_the_official_export_then_loads_it(tmp_path):
    responses.get(
        download.DATASET_API_URL,
        json={
            "resources": [
                {
                    "title": "RefRomeXml.zip",
                    "url": "https://static.data.gouv.fr/x/RefRomeXml.zip",
                    "format": "zip",
                },
                {"title": "RefRomeCsv.zip", "url": ZIP_URL, "format": "zip"},
            ]
        },
    )
    responses.get(ZIP_URL, body=_zip_of_fixture(), content_type="application/zip")
    output = sync(tmp_path, download=True)
    assert f"downloaded {ZIP_URL}" in output
    assert (tmp_path / ROME4 / APPELLATIONS).exists() and not (tmp_path / "evil.csv").exists()
    assert Appellation.objects.count() == 29
    assert "ROME v3 parent labels left empty" in output  # no rome3 folder next to a downloaded export


@responses.activate
@pytest.mark.django_db
def test_download_errors_are_clear(tmp_path):
    responses.get(
        download.DATASET_API_URL, json={"resources": [{"title": "notice.pdf", "url": "https://x/n.pdf"}]}
    )
    with pytest.raises(CommandError, match="no RefRomeCsv zip"):
        sync(tmp_path, download=True)
    responses.replace(
        responses.GET, download.DATASET_API_URL, json={"resources": [{"title": "RefRomeCsv", "url": ZIP_URL}]}
    )
    responses.get(ZIP_URL, body=b"not a zip")
    with pytest.raises(CommandError, match="is not a zip archive"):
        sync(tmp_path, download=True)
    responses.replace(responses.GET, download.DATASET_API_URL, status=503)
    with pytest.raises(CommandError, match="cannot list the ROME dataset"):
        sync(tmp_path, download=True)
    assert not Fiche.objects.exists()


@responses.activate
@pytest.mark.django_db
def test_download_into_a_read_only_folder_is_a_clear_error(tmp_path):
    responses.get(download.DATASET_API_URL, json={"resources": [{"title": "RefRomeCsv.zip", "url": ZIP_URL}]})
    responses.get(ZIP_URL, body=_zip_of_fixture(), content_type="application/zip")
    (tmp_path / ROME4).write_text("a file where the folder should be")
    with pytest.raises(CommandError, match="cannot write the files into"):
        sync(tmp_path, download=True)
