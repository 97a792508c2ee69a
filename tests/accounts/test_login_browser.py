"""Browser tests of the hardened login: ProConnect through the fake provider, and TOTP enrolment then login."""

import base64

import pytest
from django_otp.oath import totp

from tests.factories import TEST_PASSWORD, OrganisationFactory, advisor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_logs_in_with_the_proconnect_button(page, fake_proconnect):
    advisor_of(OrganisationFactory(name="Mission locale de Lens"), first_name="Léa", email="lea@ml-lens.fr")
    page.goto("/comptes/connexion/")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()

    page.wait_for_url(f"{fake_proconnect.issuer}/authorize*")
    page.get_by_label("Adresse électronique").fill("lea@ml-lens.fr")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(lambda url: "/comptes/" not in url and fake_proconnect.base_url not in url)
    assert "vous agissez pour Mission locale de Lens" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Léa Agent", exact=False).is_visible()


def _code(secret_text: str, step_ahead: int = 0) -> str:
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return str(totp(key, drift=step_ahead)).zfill(6)


def test_an_agent_enrols_in_totp_then_logs_in_with_a_code(page):
    user = advisor_of(OrganisationFactory(name="Région Hauts-de-France"), email="admin@region.fr")

    def password_step():
        page.goto("/comptes/connexion/")
        page.get_by_label("Adresse électronique").fill(user.email)
        page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()

    password_step()
    page.wait_for_url(lambda url: "/connexion/" not in url)
    page.goto("/comptes/mon-compte/")
    page.get_by_role("link", name="Activer la validation en deux étapes").click()
    assert page.get_by_role("img", name="QR code à scanner avec l'application").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code affiché par l'application").fill(_code(secret))
    page.get_by_role("button", name="Activer").click()
    assert page.get_by_role("heading", name="La validation en deux étapes est activée").is_visible()
    assert page.get_by_role("list", name="Codes de récupération").locator("li").count() == 10
    page.get_by_role("link", name="J'ai conservé mes codes, continuer").click()
    page.get_by_role("button", name="Se déconnecter").click()

    password_step()
    page.wait_for_url("**/comptes/connexion/verification/**")
    page.get_by_label("Code de vérification").fill(
        _code(secret, step_ahead=1)
    )  # the enrolment used this step's
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)
    assert "vous agissez pour Région Hauts-de-France" in page.locator("main").inner_text()
