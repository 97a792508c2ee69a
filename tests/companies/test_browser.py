from datetime import timedelta

import pytest
from django.utils import timezone

from companies.models import Operation
from tests.companies.factories import EstablishmentFactory
from tests.factories import FicheFactory, OrganisationFactory, advisor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contact_then_solicitation_warning_then_operation_conflict(page, login, browser, live_server):
    establishment = EstablishmentFactory()
    ft = OrganisationFactory(name="France Travail Amiens")
    ml = OrganisationFactory(name="Mission locale Amiens")
    ft_advisor, ml_advisor = advisor_of(ft), advisor_of(ml)
    FicheFactory(code="J1501")
    start = timezone.now() + timedelta(days=10)
    Operation.objects.create(
        kind="job_fair",
        title="Forum santé",
        organiser=ft,
        commune=establishment.commune,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        naf_sectors=["86"],
        created_by=ft_advisor,
    )

    login(ft_advisor)
    page.goto(establishment.get_absolute_url())
    page.get_by_label("Type").select_option("call")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Objet").fill("Besoins en agents de service hospitalier")
    page.get_by_role("button", name="Enregistrer le contact").click()
    assert "Contact enregistré" in page.locator("main").inner_text()

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    other = context.new_page()
    other.goto("/comptes/connexion/")
    other.get_by_label("Adresse électronique").fill(ml_advisor.email)
    other.get_by_label("Mot de passe").fill("password-de-test-1")
    other.get_by_role("button", name="Se connecter").click()
    other.wait_for_url(lambda url: "/connexion/" not in url)
    other.goto(establishment.get_absolute_url())
    warning = other.locator(".fr-alert--warning")
    assert "France Travail Amiens" in warning.inner_text()

    other.goto("/entreprises/operations/nouvelle/")
    other.get_by_label("Type").select_option("job_dating")
    other.get_by_label("Intitulé").fill("Job dating soins")
    other.locator("input[name=commune_text]").fill("Amiens")
    other.get_by_label("Début").fill((start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    other.get_by_label("Fin").fill((start + timedelta(days=1, hours=2)).strftime("%Y-%m-%dT%H:%M"))
    other.get_by_label("Secteurs (divisions NAF, séparées par des espaces)").fill("86")
    other.get_by_role("button", name="Publier l'opération").click()
    assert "Conflit avec d'autres opérations du bassin" in other.locator("main").inner_text()
    assert "Forum santé" in other.locator(".fr-alert--warning").inner_text()
    context.close()
