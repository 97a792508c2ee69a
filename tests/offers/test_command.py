import io
import json

import pytest
from django.core.management import CommandError, call_command

from offers.models import ImportRun, Publication, Source

FT = [
    {
        "id": "F1",
        "intitule": "Boulanger (H/F)",
        "lieuTravail": {"commune": "80021"},
        "entreprise": {"nom": "Fournil"},
        "typeContrat": "CDI",
        "romeCode": "D1102",
    },
    {
        "id": "F2",
        "intitule": "Agent d'entretien",
        "lieuTravail": {"codePostal": "59000", "libelle": "59 - Lille"},
        "typeContrat": "CDD",
    },
]


def stdin_with(monkeypatch, text: str):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


@pytest.fixture
def coder(monkeypatch):
    from offers import coding
    from tests.offers.conftest import FakeCoder

    fake = FakeCoder()
    monkeypatch.setattr(coding, "get_coder", lambda: fake)
    return fake


@pytest.mark.django_db
def test_import_from_stdin_creates_the_source_and_reports(monkeypatch, communes, coder, capsys):
    stdin_with(monkeypatch, "\n".join(json.dumps(r) for r in FT) + "\n{broken\n")
    call_command("offers", "import", "--source", "francetravail", "--format", "francetravail", "-")
    out = capsys.readouterr().out
    assert "New source 'francetravail'" in out
    assert (
        "read 3, created 2, updated 0, unchanged 0, rejected 1" in out
        and "rejected line 3: invalid JSON" in out
    )
    assert Source.objects.get().kind == "francetravail"
    assert ImportRun.objects.get().file_name == "<stdin>"
    assert dict(Publication.objects.values_list("external_id", "commune_id")) == {
        "F1": "80021",
        "F2": "59350",
    }

    stdin_with(monkeypatch, json.dumps(FT))
    call_command(
        "offers", "import", "--source", "francetravail", "--format", "francetravail", "--snapshot", "-"
    )
    assert "read 2, created 0, updated 0, unchanged 2, rejected 0, closed 0" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_csv_file_with_mapping(tmp_path, communes, coder, capsys):
    data = tmp_path / "region.csv"
    data.write_text("ref,intitule,cp,ville\nR1,Serveur,80000,Amiens\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"source_id": "ref", "title": "intitule", "postal_code": "cp", "commune_name": "ville"})
    )
    call_command(
        "offers", "import", "--source", "region", "--format", "csv", "--mapping", str(mapping), str(data)
    )
    assert "read 1, created 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_fails_only_when_nothing_could_be_processed(monkeypatch, communes, coder, tmp_path):
    stdin_with(monkeypatch, '{"intitule": "sans id"}\n')
    with pytest.raises(CommandError, match="nothing could be imported"):
        call_command("offers", "import", "--source", "x", "--format", "francetravail", "-")
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="invalid JSON"):
        call_command("offers", "import", "--source", "x", "--format", "francetravail", str(broken))
    with pytest.raises(CommandError, match="file not found"):
        call_command("offers", "import", "--source", "x", "--format", "csv", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_export_clusters(monkeypatch, communes, coder, fake_dedup, capsys, tmp_path):
    records = [*FT, {**FT[0], "id": "F3"}]  # F3: same employer, place and contract as F1
    stdin_with(monkeypatch, json.dumps(records))
    call_command("offers", "import", "--source", "francetravail", "--format", "francetravail", "-")
    capsys.readouterr()
    call_command("offers", "export-clusters", "-")
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [(line["source"], line["source_id"]) for line in lines] == [
        ("francetravail", "F1"),
        ("francetravail", "F2"),
        ("francetravail", "F3"),
    ]
    cluster = {line["source_id"]: line["cluster"] for line in lines}
    assert cluster["F1"] == cluster["F3"] != cluster["F2"]
    assert "exported 3 publications in 2 clusters" in captured.err
    out = tmp_path / "clusters.jsonl"
    call_command("offers", "export-clusters", str(out))
    assert len(out.read_text().splitlines()) == 3


@pytest.mark.django_db
def test_export_clusters_of_an_empty_pool_fails(tmp_path):
    with pytest.raises(CommandError, match="no publication"):
        call_command("offers", "export-clusters", str(tmp_path / "out.jsonl"))


def test_classify_without_database(monkeypatch, coder, capsys):
    lines = [
        json.dumps(FT[0]),
        json.dumps({"id": "x2", "title": "Agent de nettoyage", "description": "Entretien des locaux"}),
        "",
        "{oops",
        json.dumps({"id": "x3"}),
    ]
    stdin_with(monkeypatch, "\n".join(lines) + "\n")
    call_command("offers", "classify", "-", "-")
    captured = capsys.readouterr()
    results = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["id"] for r in results] == ["F1", "x2", None, "x3"]
    assert results[0]["rome_code"] == "D1102" and len(results[0]["candidates"]) >= 5
    assert results[1]["candidates"][0] == {"rome_code": "K2204", "score": 0.9}
    assert results[2]["error"].startswith("invalid JSON") and results[2]["line"] == 4
    assert results[3]["error"] and results[3]["line"] == 5
    assert "read 4, classified 2, rejected 2" in captured.err


def test_classify_fails_when_nothing_could_be_classified(monkeypatch, coder, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("{oops\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no offer could be classified"):
        call_command("offers", "classify", str(source), str(tmp_path / "out.jsonl"))
    assert json.loads((tmp_path / "out.jsonl").read_text())["error"].startswith("invalid JSON")


@pytest.mark.django_db
def test_train_model_passes_the_advisors_choices(monkeypatch, tmp_path, capsys):
    from offers import coding, selectors

    calls = {}

    def fake_train_and_save(path, data_dir, extra_examples=(), seed=0):
        calls.update(path=path, examples=list(extra_examples))
        return type("Coder", (), {"threshold": 0.42})()

    monkeypatch.setattr(coding, "train_and_save", fake_train_and_save)
    monkeypatch.setattr(
        selectors, "advisor_examples", lambda: [{"title": "t", "description": "d", "rome_code": "K1802"}]
    )
    call_command("offers", "train-model", "--output", str(tmp_path / "model.pkl"))
    assert calls == {
        "path": str(tmp_path / "model.pkl"),
        "examples": [{"title": "t", "description": "d", "rome_code": "K1802"}],
    }
    assert "1 advisor choices; threshold 0.42" in capsys.readouterr().out


@pytest.mark.django_db
def test_rebuild_clusters_command(monkeypatch, communes, coder, fake_dedup, capsys):
    stdin_with(monkeypatch, json.dumps([*FT, {**FT[0], "id": "F3"}]))
    call_command("offers", "import", "--source", "francetravail", "--format", "francetravail", "-")
    call_command("offers", "rebuild-clusters")
    assert "3 open publications in 2 clusters (0 moved)" in capsys.readouterr().out


@pytest.mark.django_db
def test_close_expired_command(monkeypatch, communes, coder, capsys):
    stdin_with(monkeypatch, json.dumps(FT))
    call_command("offers", "import", "--source", "francetravail", "--format", "francetravail", "-")
    Publication.objects.filter(external_id="F1").update(expires_at="2020-01-01T00:00:00Z")
    call_command("offers", "close-expired")
    call_command("offers", "close-expired")
    out = capsys.readouterr().out
    assert "closed 1 expired publications" in out and "closed 0 expired publications" in out
    assert Publication.objects.get(external_id="F1").closed_at is not None
