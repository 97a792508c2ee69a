import io

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from diagnosis.models import ActionLine
from tests.diagnosis.factories import ActionLineFactory, DatasetFactory, IndicatorFactory
from tests.factories import BassinFactory, CommuneFactory, OrganisationFactory, advisor_of

pytestmark = pytest.mark.django_db
PAGE = "/diagnostic/bassin/3202/"


@pytest.fixture
def amiens():
    CommuneFactory(code="80021", name="Amiens", bassin=BassinFactory(code="3202", name="AMIENS"))
    DatasetFactory()
    IndicatorFactory()
    IndicatorFactory(
        occupation_code="J1301",
        occupation_label="Personnel polyvalent des services hospitaliers",
        tension_score=0.4,
        tension_class=3,
        coverage_gap=None,
        need_estimate=None,
    )
    IndicatorFactory(
        occupation_kind="rome3", territory_kind="region", territory_code="32", territory_label="HdF"
    )
    IndicatorFactory(
        occupation_code="J1301",
        occupation_label="Personnel polyvalent des services hospitaliers",
        territory_kind="region",
        territory_code="32",
        territory_label="HdF",
    )


@pytest.fixture
def committee_member():
    return advisor_of(OrganisationFactory(name="Région Hauts-de-France"), role=Role.COMMITTEE_MEMBER)


def test_pages_need_login(client, amiens):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_territory_page_shows_tables_behind_charts_and_sources(client, amiens, committee_member):
    client.force_login(committee_member)
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') >= 3  # tension and gap bars, the map
    assert 'id="table-tension"' in html and 'id="table-ecarts"' in html and 'id="table-carte"' in html
    assert "Soins d&#x27;hygiène, de confort du patient" in html
    assert "France Travail, Enquête Besoins en main-d&#x27;œuvre (BMO), 2025" in html
    assert "Proposer une action" in html


def test_unknown_territory_is_404(client, amiens, committee_member):
    client.force_login(committee_member)
    assert client.get("/diagnostic/bassin/9999/").status_code == 404
    assert client.get("/diagnostic/planete/3202/").status_code == 404


def test_csv_and_xlsx_exports_hold_the_table(client, amiens, committee_member):
    client.force_login(committee_member)
    csv_text = client.get(PAGE + "export/ecarts.csv").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Code;Métier;Projets difficiles estimés")
    assert lines[1].startswith("J1501;Soins d'hygiène") and lines[1].endswith(";16;24,0")
    workbook = load_workbook(io.BytesIO(client.get(PAGE + "export/tension.xlsx").content))
    rows = list(workbook.active.values)
    assert rows[1][0] == "Code" and rows[2][:2] == ("J1501", "Soins d'hygiène, de confort du patient")
    assert rows[2][5] == 70.0  # share in %
    assert client.get(PAGE + "export/tension.pdf").status_code == 404


def test_pdf_report(client, amiens, committee_member):
    IndicatorFactory(
        occupation_code="G1603", occupation_label="Personnel polyvalent <hôtellerie> & restauration"
    )
    client.force_login(committee_member)
    response = client.get(PAGE + "rapport.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000


def test_compare_two_territories_and_two_occupations(client, amiens, committee_member):
    client.force_login(committee_member)
    response = client.get(
        "/diagnostic/comparer/territoires/",
        {"first": "bassin:3202", "second": "region:32", "occupation": "J1501"},
    )
    assert response.status_code == 200 and "Offres par demandeur" in response.content.decode()
    response = client.get(
        "/diagnostic/comparer/metiers/", {"territory": "bassin:3202", "first": "J1501", "second": "J1301"}
    )
    html = response.content.decode()
    assert "Personnel polyvalent" in html and "Classe de tension" in html
    assert "Sources et millésimes" in html and "Enquête Besoins en main-d" in html


def test_advisor_cannot_draft_an_action(client, amiens):
    advisor = advisor_of(OrganisationFactory())
    client.force_login(advisor)
    assert client.get("/diagnostic/actions/nouvelle/").status_code == 403


def test_committee_member_drafts_an_action_from_a_gap(client, amiens, committee_member):
    client.force_login(committee_member)
    owner = committee_member.organisations.get()
    form = client.get("/diagnostic/actions/nouvelle/", {"metier": "J1501", "territoire": "bassin:3202"})
    assert form.context["form"].initial["target_value"] == 40  # 16 places + gap of 24
    response = client.post(
        "/diagnostic/actions/nouvelle/",
        {
            "title": "Ouvrir 24 places d'aide-soignant",
            "occupation": "J1501",
            "territory": "bassin:3202",
            "owner": owner.pk,
            "deadline": "2026-12-31",
            "target_indicator": "training_places",
            "baseline_value": "16",
            "target_value": "40",
            "funding": "Région (PRF 2026)",
        },
    )
    action = ActionLine.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.status == "draft" and action.territory_label == "Amiens (bassin d'emploi)"
    assert action.gap_snapshot["coverage_gap"] == 24 and action.created_by == committee_member


def test_owner_must_be_one_of_my_organisations(client, amiens, committee_member):
    client.force_login(committee_member)
    other = OrganisationFactory(name="Autre")
    response = client.post(
        "/diagnostic/actions/nouvelle/",
        {
            "title": "x",
            "occupation": "J1501",
            "territory": "bassin:3202",
            "owner": other.pk,
            "deadline": "2026-12-31",
            "target_indicator": "training_places",
            "target_value": "40",
        },
    )
    assert response.status_code == 200 and "owner" in response.context["form"].errors


def test_status_follows_allowed_transitions_with_history(client, amiens, committee_member):
    action = ActionLineFactory(owner=committee_member.organisations.get())
    client.force_login(committee_member)
    client.post(
        f"/diagnostic/actions/{action.pk}/statut/", {"status": "proposed", "reason": "Comité du 12/01"}
    )
    action.refresh_from_db()
    assert action.status == "proposed"
    client.post(f"/diagnostic/actions/{action.pk}/statut/", {"status": "done"})  # not allowed from proposed
    action.refresh_from_db()
    assert action.status == "proposed"
    assert list(action.history.values_list("history_change_reason", flat=True))[0] == "Comité du 12/01"
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Comité du 12/01" in page and "Proposée" in page


def test_other_organisation_cannot_change_status(client, amiens, committee_member):
    action = ActionLineFactory(owner=OrganisationFactory(name="Autre"))
    client.force_login(committee_member)
    assert client.post(f"/diagnostic/actions/{action.pk}/statut/", {"status": "proposed"}).status_code == 403


def test_demo_action_line_is_marked_as_an_example_and_loaded_once():
    from accounts import demo as accounts_demo
    from diagnosis import demo

    accounts_demo.load()
    demo.load()
    demo.load()
    action = ActionLine.objects.get()
    assert action.is_example and action.title.startswith("[Exemple]")
    assert action.partners.count() == 2


def test_map_of_a_rome_4_fiche_reads_its_v3_parent(client, amiens, committee_member):
    from tests.factories import FicheFactory

    FicheFactory(code="J1599", label="Fiche 4.0 rattachée", parent_code="J1501")
    client.force_login(committee_member)
    html = client.get(PAGE, {"metier": "J1599"}).content.decode()
    assert "Tension par bassin — J1501 — Soins d&#x27;hygiène, de confort du patient" in html


def test_trend_of_an_occupation_is_charted_with_its_table_and_exported(client, amiens, committee_member):
    from diagnosis.models import Dataset, FapOccupation, RomeFapLink, TensionSeries

    source = Dataset.objects.create(
        code="dares-tensions", title="Série", producer="DARES", vintage="2011-2019"
    )
    RomeFapLink.objects.create(key="J1501:V0Z60", rome_code="J1501", fap_code="V0Z60", dataset=source)
    FapOccupation.objects.create(key="2009:V0Z60", version="2009", code="V0Z60", label="Aides-soignants")
    for year, zscore in ((2018, -0.25), (2019, 0.4)):
        TensionSeries.objects.create(
            key=f"V0Z60:{year}", dataset=source, fap_code="V0Z60", year=year, zscore=zscore
        )
    client.force_login(committee_member)
    html = client.get(PAGE, {"metier": "J1501"}).content.decode()
    assert 'id="chart-tendance-title"' in html and 'id="table-tendance"' in html
    assert "V0Z60 Aides-soignants" in html and "−0,25" not in html and "-0,25" in html
    csv_text = client.get(PAGE + "export/tendance.csv", {"metier": "J1501"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[:3] == ["Année;V0Z60 Aides-soignants", "2018;-0,25", "2019;0,4"]


def test_owner_member_edits_an_action_and_history_keeps_versions(client, amiens, committee_member):
    action = ActionLineFactory(owner=committee_member.organisations.get())
    client.force_login(committee_member)
    response = client.post(
        f"/diagnostic/actions/{action.pk}/modifier/",
        {
            "title": "Ouvrir 30 places",
            "occupation": "J1501",
            "territory": "bassin:3202",
            "owner": action.owner_id,
            "deadline": "2027-06-30",
            "target_indicator": "training_places",
            "target_value": "30",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Ouvrir 30 places" and action.history.count() == 2
    client.force_login(advisor_of(OrganisationFactory(name="Autre")))
    assert client.get(f"/diagnostic/actions/{action.pk}/modifier/").status_code == 403


def test_only_administrators_recompute_from_the_page(client, amiens, committee_member):
    client.force_login(committee_member)
    assert client.post("/diagnostic/recalculer/").status_code == 403
    client.force_login(advisor_of(OrganisationFactory(name="Admin"), role=Role.ADMINISTRATOR))
    response = client.post("/diagnostic/recalculer/", follow=True)
    assert response.status_code == 200
    assert "indicateurs recalculés" in response.content.decode()
