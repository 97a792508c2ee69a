import pytest

from accounts.models import Role
from diagnosis.models import ActionLine
from tests.diagnosis.factories import DatasetFactory, IndicatorFactory
from tests.factories import BassinFactory, CommuneFactory, OrganisationFactory, advisor_of


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_committee_member_reads_a_basin_diagnosis_and_drafts_an_action_from_a_gap(page, login):
    CommuneFactory(code="80021", name="Amiens", bassin=BassinFactory(code="3202", name="AMIENS"))
    DatasetFactory()
    IndicatorFactory()
    IndicatorFactory(territory_kind="region", territory_code="32", territory_label="Hauts-de-France")
    member = advisor_of(OrganisationFactory(name="Région Hauts-de-France"), role=Role.COMMITTEE_MEMBER)
    login(member)

    page.goto("/diagnostic/bassin/3202/")
    gaps = page.get_by_role(
        "table", name="Écarts entre besoin et offre de formation — Amiens (bassin d'emploi)"
    )
    assert gaps.get_by_role("row").nth(1).inner_text().split("\t")[:2] == [
        "J1501",
        "Soins d'hygiène, de confort du patient",
    ]
    assert page.get_by_role("img", name="Métiers les plus en tension — Amiens (bassin d'emploi)").is_visible()
    assert page.get_by_role(
        "table", name="Métiers les plus en tension — Amiens (bassin d'emploi)"
    ).is_visible()

    gaps.get_by_role("link", name="Proposer une action pour Soins d'hygiène, de confort du patient").click()
    page.wait_for_url("**/actions/nouvelle/**")
    assert page.get_by_label("Valeur cible").input_value() == "40"
    page.get_by_label("Pilote").select_option(label="Région Hauts-de-France")
    page.get_by_label("Échéance").fill("2026-12-31")
    page.get_by_label("Financement").fill("Programme régional de formation 2026")
    page.get_by_role("button", name="Enregistrer").click()

    page.wait_for_url("**/diagnostic/actions/*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ouvrir 24 places de formation")
    assert page.get_by_text("Brouillon").first.is_visible()
    action = ActionLine.objects.get()
    assert (
        action.funding == "Programme régional de formation 2026"
        and action.owner.name == "Région Hauts-de-France"
    )
