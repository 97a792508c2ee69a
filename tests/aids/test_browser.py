"""The simulator end to end in a real browser: progressive steps, then the aids with amounts and how to apply."""

from datetime import date

import pytest

from tests.factories import CommuneFactory


@pytest.mark.browser
def test_simulator_end_to_end(page, transactional_db):
    from aids.engine.simulation import smic_net_mensuel
    from aids.engine.system import tax_benefit_system

    tax_benefit_system()  # loaded once per process (seconds): not inside the page's navigation timeout
    smic_net_mensuel(f"{date.today():%Y-%m}")
    CommuneFactory(code="80021", name="Amiens", postal_codes="80000", latitude=49.894, longitude=2.295)
    CommuneFactory(code="80001", name="Abbeville", postal_codes="80100", latitude=50.105, longitude=1.835)
    page.goto("/aides/")
    page.get_by_role("link", name="Lancer le simulateur").click()
    page.get_by_label("Date de naissance").fill("1996-02-10")
    page.get_by_role("combobox", name="Commune de résidence").fill("Amiens (80)")
    page.get_by_label("Votre situation").select_option("job_seeker")
    page.get_by_label("Catégorie d'inscription à France Travail").select_option("1")
    page.get_by_label("Inscrit(e) à France Travail depuis le").fill("2024-01-15")
    page.get_by_label("Allocation perçue").select_option("none")
    page.get_by_role("button", name="Continuer").click()
    assert page.get_by_text("Étape 2 sur 5").is_visible()
    page.get_by_label("Vous vivez").select_option("single")
    page.get_by_label("Âge des enfants à votre charge").fill("4")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Votre projet").select_option("job_start")
    page.get_by_role("combobox", name="Commune de l'entretien, de la formation ou de l'emploi").fill(
        "Abbeville (80)"
    )
    page.get_by_label("Date de l'entretien ou du premier jour").fill("2030-01-07")
    page.get_by_label("Type de contrat").select_option("cdi")
    page.get_by_label("Heures par semaine").fill("35")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Avez-vous le permis B ?").select_option("no")
    page.get_by_role("button", name="Voir mes aides").click()
    page.get_by_role("heading", name="Vos aides", level=1).wait_for()
    body = page.locator("main").inner_text()
    assert "Aide à la garde d'enfants (AGE, ex-AGEPI)" in body
    assert "416,00 €" in body or "416.00 €" in body
    assert "Aide à la mobilité" in body
    assert "Comment la demander" in body
