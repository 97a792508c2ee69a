"""sync-aids: the project's catalogue files and aides-jeunes, idempotent, reporting what it could not parse."""

import pytest
from django.core.management import call_command

from aids.models import Aid, Source
from aids.services import save_aid, sync_catalogue
from aids.sources import parse_catalogue_entry, read_aides_jeunes, read_catalogue
from core.sync import SyncReport, run_sync


def test_every_catalogue_file_is_valid_and_cites_official_sources():
    read = read_catalogue()
    assert read.rejected == []
    assert len(read.rows) == 7
    for aid_id, values in read.rows.items():
        assert values["reference_urls"], aid_id
        assert all(url.startswith("http") for url in values["reference_urls"])
        assert values["verified_on"] is not None
        assert values["sources_note"], f"{aid_id} says which source it followed"


def test_a_bad_catalogue_file_is_rejected_with_file_and_field(tmp_path):
    (tmp_path / "broken.yml").write_text(
        "id: broken\nlabel: X\ninstitution: Y\ntheme: flying\n"
        "rule_kind: declarative\nreference_urls: [http://a]\nverified_on: 2025-01-01\n"
    )
    (tmp_path / "good.yml").write_text(
        (read_catalogue().rows and "") + "id: good\nlabel: X\ninstitution: Y\n"
        "theme: other\nrule_kind: information\nreference_urls: [http://a]\n"
        "verified_on: 2025-01-01\n"
    )
    read = read_catalogue(tmp_path)
    assert list(read.rows) == ["good"]
    assert read.rejected == [
        f"{tmp_path / 'broken.yml'}: field 'theme': 'flying' is not one of "
        "mobility_licence, mobility_vehicle, mobility_transport, mobility_travel, childcare, "
        "housing, equipment, health, other"
    ]


def test_id_must_match_file_name(tmp_path):
    with pytest.raises(ValueError, match="must match the file name"):
        parse_catalogue_entry(
            {
                "id": "a",
                "label": "x",
                "institution": "y",
                "theme": "other",
                "rule_kind": "information",
                "reference_urls": ["http://x"],
                "verified_on": "2025-01-01",
            },
            path=tmp_path / "b.yml",
        )


@pytest.mark.real_data
def test_aides_jeunes_keeps_job_seekers_aids_of_hauts_de_france():
    read = read_aides_jeunes()
    assert read.rejected == []
    ids = set(read.rows)
    assert "aides-jeunes-departement_oise-aide-au-financement-du-permis-de-conduire-permis-citoyen" in ids
    assert "aides-jeunes-ville-lille-aide-au-financement-du-permis-de-conduire" in ids
    assert not any("metropole-savoie" in i or "bafa" in i for i in ids)  # other territory, students
    assert any("covered by the project's aid 'hauts-de-france-aide-permis'" in n for n in read.notes)
    lille = read.rows["aides-jeunes-ville-lille-aide-au-financement-du-permis-de-conduire"]
    assert lille["commune_codes"] == ["59350"]
    assert {"type": "driving_licence", "value": False} in lille["declarative_conditions"]


@pytest.mark.django_db
@pytest.mark.real_data
def test_sync_is_idempotent_and_dry_by_default(capsys):
    call_command("sync_aids")
    assert Aid.objects.count() == 0
    assert "dry run" in capsys.readouterr().out
    call_command("sync_aids", write=True)
    count = Aid.objects.count()
    assert count >= 40
    assert Aid.objects.filter(source=Source.CATALOGUE).count() == 7
    assert Aid.history.count() == count
    call_command("sync_aids", write=True)
    out = capsys.readouterr().out
    assert "Nothing to change" in out
    assert Aid.history.count() == count


@pytest.mark.django_db
def test_sync_keeps_edits_made_in_the_app_and_unpublishes_vanished_aids(django_user_model, tmp_path):
    report = run_sync(lambda r: sync_catalogue(report=r, data_dir=tmp_path), write=True)
    assert report.counts["aides"].created == 7
    aid = Aid.objects.get(pk="hauts-de-france-aide-transport")
    aid.amount_text = "Texte modifié par un responsable"
    save_aid(aid=aid, user=None, reason="test")
    Aid.objects.create(
        id="old-aid", label="Ancienne", institution="X", theme="other", source=Source.AIDES_JEUNES
    )
    report = SyncReport()
    sync_catalogue(report=report, data_dir=tmp_path)
    assert (
        Aid.objects.get(pk="hauts-de-france-aide-transport").amount_text == "Texte modifié par un responsable"
    )
    assert not Aid.objects.get(pk="old-aid").is_published
    assert any("edited in the app" in note for note in report.notes)
