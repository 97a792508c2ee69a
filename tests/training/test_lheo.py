import datetime as dt

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core.sync import SourceError
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory
from training.models import TrainingSession
from training.services import import_sessions
from training.sources import read_lheo

SAMPLE = settings.DATA_DIR / "training/anotea__intercarif-data-test.xml"


@pytest.mark.real_data
def test_real_lheo_sample_is_read_session_by_session():
    rejected = []
    rows = read_lheo(SAMPLE, rejected=rejected)
    assert not rejected
    assert list(rows) == ["lheo:F_XX_XX/AC_XX_XXXXXX/SE_XXXXXX"]
    row = rows["lheo:F_XX_XX/AC_XX_XXXXXX/SE_XXXXXX"]
    assert row["title"] == "Développeur web"
    assert (row["formacodes"], row["nsf_codes"], row["rome_codes"]) == ("22403", "233", "F1604")
    assert row["certification"] == "RNCP 320 CertifInfo 80735" and row["certifying"]
    assert (row["start_date"], row["end_date"]) == (dt.date(2017, 10, 30), dt.date(2018, 6, 1))
    assert row["places"] == 5  # places financed for the action
    assert row["provider_name"] == "Centre de formation Anotéa"
    assert (row["_postal_code"], row["_city"]) == ("75019", "Paris")


@pytest.mark.real_data
@pytest.mark.django_db
def test_lheo_import_resolves_the_place_and_is_idempotent():
    region = RegionFactory(code="11", name="Île-de-France")
    CommuneFactory(
        code="75056",
        name="Paris",
        postal_codes="75001 75019",
        departement=DepartementFactory(code="75", name="Paris", region=region),
    )
    dry = import_sessions(path=SAMPLE, format="lheo", write=False)
    assert dry.for_model("sessions de formation").created == 1 and TrainingSession.objects.count() == 0
    import_sessions(path=SAMPLE, format="lheo", write=True)
    session = TrainingSession.objects.get()
    assert session.commune_id == "75056"  # postal code + town, not the postal code read as an INSEE code
    assert not import_sessions(path=SAMPLE, format="lheo", write=True).changed


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lheo xmlns="http://www.lheo.org/2.2"><offres><formation numero="F1"><intitule-formation>&lol3;</intitule-formation>
</formation></offres></lheo>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE lheo [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<lheo><offres><formation numero="F1"><intitule-formation>&secret;</intitule-formation></formation></offres></lheo>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_declarations_are_refused(tmp_path, document):
    path = tmp_path / "evil.xml"
    path.write_text(document)
    with pytest.raises(SourceError, match="document refusé") as raised:
        read_lheo(path, rejected=[])
    assert "lol" not in str(raised.value) and "root:" not in str(raised.value)


def test_malformed_xml_error_gives_the_line(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text('<?xml version="1.0"?>\n<lheo><offres>\n<formation numero="F1">\n</offres></lheo>\n')
    with pytest.raises(SourceError, match=r"broken.xml:4: XML mal formé"):
        read_lheo(path, rejected=[])


def test_a_formation_without_title_is_rejected_and_the_rest_kept(tmp_path):
    path = tmp_path / "two.xml"
    path.write_text(
        '<lheo xmlns="http://www.lheo.org/2.2"><offres>'
        '<formation numero="F1"><action numero="A"><session numero="S"/></action></formation>'
        '<formation numero="F2"><intitule-formation>CAP cuisine</intitule-formation><domaine-formation>'
        '<code-ROME>G1602</code-ROME></domaine-formation><action numero="A"><session numero="S1"/>'
        '<session numero="S2"/><organisme-financeur><nb-places-financees>24</nb-places-financees>'
        "</organisme-financeur></action></formation></offres></lheo>"
    )
    rejected = []
    rows = read_lheo(path, rejected=rejected)
    assert sorted(rows) == ["lheo:F2/A/S1", "lheo:F2/A/S2"]
    assert rows["lheo:F2/A/S1"]["places"] == 12  # the action's places spread over its two sessions
    assert len(rejected) == 1 and "F1" in rejected[0]


@pytest.mark.django_db
def test_command_requires_a_format_and_reports_errors(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(CommandError, match="document refusé"):
        call_command("import_training", str(path), format="lheo")
