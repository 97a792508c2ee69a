import pytest

from accounts.models import Role
from tests.factories import OrganisationFactory, advisor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advisor_logs_in_and_sees_the_organisation_they_act_for(page, login):
    organisation = OrganisationFactory(name="Mission locale du Grand Amiénois")
    user = advisor_of(organisation, role=Role.ADVISOR, first_name="Léa", email="lea@example.org")

    login(user)

    assert page.get_by_role("link", name="Léa Agent", exact=False).is_visible()
    assert "vous agissez pour Mission locale du Grand Amiénois" in page.locator("main").inner_text()
    # The skip links and the main navigation are there for keyboard users.
    assert page.locator(".fr-skiplinks a[href='#content']").count() == 1
    assert page.get_by_role("navigation", name="Menu principal").count() == 1


def test_a_wrong_password_is_refused_with_a_visible_error(page):
    user = advisor_of(OrganisationFactory())
    page.goto("/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill("not the password")
    page.get_by_role("button", name="Se connecter").click()
    assert "/comptes/connexion/" in page.url
    assert "Saisissez" in page.locator("main").inner_text()
