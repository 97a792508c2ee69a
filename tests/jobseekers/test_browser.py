"""The advisor's flow in a real browser, with the real aid engine and the project's catalogue."""

from datetime import date

import pytest

from aids.distances import ROAD_DETOUR_FACTOR, communes
from aids.models import Aid
from aids.services import evaluate
from aids.situations import Situation
from aids.sources import read_catalogue
from jobseekers.models import AidRequest
from territories.geo import KM_PER_DEGREE_LATITUDE
from tests.factories import CommuneFactory, OrganisationFactory, advisor_of
from tests.jobseekers.factories import followed_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advisor_simulates_a_job_start_requests_the_mobility_aid_and_records_the_grant(page, login):
    communes.clear()
    for aid_id, values in read_catalogue().rows.items():
        Aid.objects.create(id=aid_id, **values)
    organisation = OrganisationFactory(name="France Travail Amiens Nord")
    advisor = advisor_of(organisation, first_name="Camille")
    record = followed_by(
        organisation,
        first_name="Jeanne",
        last_name="Navigatrice",
        birth_date=date(1990, 5, 1),
        registration_date=date(2025, 1, 1),
        allowance="none",
    )
    home = record.commune
    CommuneFactory(
        code="80777",
        name="Lieu du poste",
        latitude=home.latitude + 45 / ROAD_DETOUR_FACTOR / KM_PER_DEGREE_LATITUDE,
        longitude=home.longitude,
    )

    # The OpenFisca tax-benefit system loads once per process (≈15 s): load it before the clock of the browser.
    evaluate(situation=Situation())

    login(advisor)
    page.get_by_role("link", name="Personnes suivies").first.click()
    page.get_by_role("link", name="NAVIGATRICE Jeanne").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Jeanne Navigatrice"

    page.get_by_role("link", name="Simuler les aides pour un projet").click()
    page.get_by_label("Projet").select_option("job_start")
    page.get_by_label("Commune de l'entretien, de la formation ou de l'emploi").fill("80777")
    page.get_by_label("Date (entretien, premier jour de travail ou de formation)").fill("2026-12-01")
    page.get_by_label("Type de contrat").select_option("cdi")
    page.get_by_role("button", name="Lancer la simulation").click()

    assert page.get_by_role("heading", name="Aides mobilisables").is_visible()
    card = page.locator("li.fr-card", has_text="Aide à la mobilité (frais de déplacement")
    assert "Éligible" in card.text_content() and "Montant estimé" in card.text_content()
    card.get_by_role("link", name="Demander cette aide").click()

    page.locator("label[for=id_consent]").click()  # DSFR draws the checkbox on the label
    assert page.get_by_label("La personne a donné son accord pour cette demande", exact=False).is_checked()
    page.get_by_label("Comment l'accord a-t-il été recueilli ?").select_option("interview")
    page.get_by_role("button", name="Enregistrer la demande").click()
    assert "enregistrée : à envoyer" in page.locator("main").inner_text()

    page.get_by_label("Nouveau statut").select_option("sent")
    page.get_by_role("button", name="Enregistrer le statut").click()
    page.get_by_label("Nouveau statut").select_option("granted")
    page.get_by_label("Montant accordé (€)").fill("20.70")
    page.get_by_role("button", name="Enregistrer le statut").click()
    assert "Statut de la demande : accordée." in page.locator("main").inner_text()

    aid_request = AidRequest.objects.get(jobseeker=record)
    assert (aid_request.status, str(aid_request.amount_granted)) == ("granted", "20.70")
    page.get_by_role("link", name="Jeanne Navigatrice").first.click()
    assert "Déjà accordé en" in page.locator("main").inner_text()
    communes.clear()
