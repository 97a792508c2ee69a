import pytest

from core.sync import SourceError, read_csv, run_sync, sync_links, upsert
from rome.models import FicheSkill, Skill
from territories.models import Departement, Region
from tests.factories import FicheFactory


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_read_csv_yields_line_numbers(tmp_path):
    path = write(tmp_path, "regions.csv", "code,name\n32,Hauts-de-France\n11,Île-de-France\n")
    assert list(read_csv(path, required=["code"])) == [
        (2, {"code": "32", "name": "Hauts-de-France"}),
        (3, {"code": "11", "name": "Île-de-France"}),
    ]


def test_read_csv_names_missing_columns(tmp_path):
    path = write(tmp_path, "regions.csv", "code;name\n32;HdF\n")
    with pytest.raises(SourceError, match=r"regions.csv:1: missing column\(s\) code, name"):
        list(read_csv(path, required=["code", "name"]))


def test_read_csv_names_the_line_with_too_many_values(tmp_path):
    path = write(tmp_path, "regions.csv", "code,name\n32,HdF\n11,IdF,extra\n")
    with pytest.raises(SourceError) as error:
        list(read_csv(path))
    assert error.value.line == 3
    assert "regions.csv:3" in str(error.value)


def test_read_csv_reports_bad_encoding(tmp_path):
    path = write(tmp_path, "regions.csv", "code,name\n32,Hauts-de-Fran\xe7e\n", encoding="latin-1")
    with pytest.raises(SourceError, match="not valid utf-8-sig text"):
        list(read_csv(path))


def test_read_csv_missing_file(tmp_path):
    with pytest.raises(SourceError, match="file not found"):
        list(read_csv(tmp_path / "absent.csv"))


@pytest.mark.django_db
def test_upsert_creates_updates_and_reports_unchanged():
    def sync(rows):
        return run_sync(lambda report: upsert(Region, rows, report=report), write=True)

    report = sync({"32": {"name": "Hauts-de-France"}, "11": {"name": "Ile-de-France"}})
    assert (report.counts["régions"].created, report.counts["régions"].updated) == (2, 0)

    report = sync({"32": {"name": "Hauts-de-France"}, "11": {"name": "Île-de-France"}})
    counts = report.counts["régions"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 1)
    assert Region.objects.get(code="11").name == "Île-de-France"

    report = sync({"32": {"name": "Hauts-de-France"}, "11": {"name": "Île-de-France"}})
    assert not report.changed
    assert "Nothing to change" in report.lines()[-1]


@pytest.mark.django_db
def test_upsert_can_delete_rows_missing_from_the_source():
    Region.objects.create(code="99", name="Disparue")
    report = run_sync(
        lambda report: upsert(Region, {"32": {"name": "HdF"}}, report=report, delete_missing=True), write=True
    )
    assert report.counts["régions"].deleted == 1
    assert list(Region.objects.values_list("code", flat=True)) == ["32"]


@pytest.mark.django_db
def test_dry_run_writes_nothing_but_reports_the_same_counts():
    report = run_sync(lambda report: upsert(Region, {"32": {"name": "HdF"}}, report=report), write=False)
    assert report.counts["régions"].created == 1
    assert any("dry run" in line for line in report.lines())
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_failure_rolls_back_everything_written_before_it():
    def sync(report):
        upsert(Region, {"32": {"name": "HdF"}}, report=report)
        upsert(Departement, {"80": {"name": "Somme", "region_id": "32"}}, report=report)
        raise SourceError("bad value", path="departements.csv", line=7, field="code")

    with pytest.raises(SourceError, match=r"departements.csv:7 \[code\]: bad value"):
        run_sync(sync, write=True)
    assert not Region.objects.exists()
    assert not Departement.objects.exists()


@pytest.mark.django_db
def test_sync_links_adds_updates_and_removes_links():
    fiche = FicheFactory()
    skills = [Skill.objects.create(code_ogr=n, label=f"Skill {n}", kind=Skill.Kind.SAVOIR) for n in (1, 2, 3)]

    def sync(links, extra):
        return run_sync(
            lambda report: sync_links(
                FicheSkill, links, fields=("fiche_id", "skill_id"), extra=extra, report=report
            ),
            write=True,
        )

    links = {(fiche.pk, 1), (fiche.pk, 2)}
    report = sync(links, {(fiche.pk, 1): {"is_core": True}})
    assert report.counts["compétences des fiches"].created == 2

    report = sync({(fiche.pk, 1), (fiche.pk, 3)}, {(fiche.pk, 1): {"is_core": False}})
    counts = report.counts["compétences des fiches"]
    assert (counts.created, counts.updated, counts.deleted) == (1, 1, 1)
    assert set(FicheSkill.objects.values_list("skill_id", "is_core")) == {(1, False), (3, False)}
    assert skills
