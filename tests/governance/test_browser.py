from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from governance.models import Commitment, Indicator
from governance.protocols import HAUTS_DE_FRANCE_2023, load_protocol
from tests.factories import TEST_PASSWORD, RegionFactory
from tests.governance.factories import MemberFactory, regional_committee


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_prepare_meeting_vote_decision_action_and_dashboard(page, login):
    RegionFactory()
    committee = regional_committee(name="Comité régional pour l'emploi")
    MemberFactory(committee=committee, full_name="Représentante syndicale")
    protocol, _ = load_protocol(HAUTS_DE_FRANCE_2023)
    commitment = Commitment.objects.create(
        protocol=protocol, stake=protocol.stakes.first(), number=1, title="Coordonner la formation"
    )
    Indicator.objects.create(
        commitment=commitment,
        name="Décisions adoptées",
        unit="décisions",
        source=Indicator.Source.COMPUTED,
        query_name="governance.decisions_adopted",
    )
    admin = User.objects.create_superuser("admin@example.org", TEST_PASSWORD)
    login(admin)
    today = timezone.localdate()

    page.goto(f"/gouvernance/protocoles/{protocol.slug}/tableau-de-bord/")
    assert page.locator("#late-count").inner_text() == "0"
    assert (
        page.get_by_role("table", name="Décisions adoptées : valeurs et cibles (décisions)")
        .get_by_role("cell", name="0,00")
        .count()
        == 1
    )

    # prepare the meeting
    page.goto(committee.get_absolute_url())
    page.get_by_role("link", name="Préparer une réunion").click()
    page.get_by_label("Intitulé").fill("Séance de rentrée")
    page.get_by_label("Début").fill(f"{today:%Y-%m-%d}T09:00")
    page.get_by_label("Fin", exact=True).fill(f"{today:%Y-%m-%d}T11:00")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Ajouter un point à l'ordre du jour").click()
    page.get_by_label("Point", exact=True).fill("Plan formation métiers en tension")
    page.get_by_role("button", name="Ajouter le point").click()
    page.get_by_text("Point « Plan formation métiers en tension » ajouté").wait_for()

    # attendance with the live quorum
    page.get_by_role("link", name="Tenir la séance").click()
    page.get_by_text("Quorum : non atteint").wait_for()
    page.get_by_label("Présence de Préfet", exact=True).select_option("present")
    page.get_by_role("button", name="Enregistrer la présence de Préfet").click()
    page.get_by_text("1 siège(s) à voix délibérative présent(s)").wait_for()
    page.get_by_label("Présence de Présidente", exact=True).select_option("present")
    page.get_by_role("button", name="Enregistrer la présence de Présidente").click()
    page.get_by_text("Quorum : atteint").wait_for()

    # vote: a tie broken by the State co-chair
    page.get_by_label("Question soumise au vote").fill("Adopter le plan formation")
    page.get_by_label("Nature").select_option("training")
    page.get_by_role("button", name="Créer la délibération").click()
    page.get_by_label("Préfet (coprésident État)").select_option("for")
    page.get_by_label("Présidente").select_option("against")
    page.get_by_role("button", name="Enregistrer le vote").click()
    page.get_by_text("voix prépondérante du coprésident représentant l'État", exact=False).first.wait_for()
    assert page.get_by_text("Adoptée", exact=True).count() == 1

    # the decision becomes a follow-up action, already overdue
    page.get_by_role("link", name="Transformer la décision en action de suivi").click()
    page.locator("#id_title").fill("Publier la carte des places")
    page.locator("#id_owner_name").fill("DREETS")
    page.locator("#id_deadline").fill(f"{today - timedelta(days=1):%Y-%m-%d}")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("cell", name="Publier la carte des places", exact=True).wait_for()

    # the dashboard moved
    page.goto(f"/gouvernance/protocoles/{protocol.slug}/tableau-de-bord/")
    assert page.locator("#late-count").inner_text() == "1"
    assert page.get_by_role("link", name="Publier la carte des places").count() == 1
    assert (
        page.get_by_role("table", name="Décisions adoptées : valeurs et cibles (décisions)")
        .get_by_role("cell", name="1,00")
        .count()
        == 1
    )
