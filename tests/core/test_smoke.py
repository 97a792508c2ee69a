import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_home_is_public_and_dsfr_styled(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="fr-header"' in html
    assert 'href="#content"' in html  # skip link
    assert "Se connecter" in html


@pytest.mark.django_db
def test_pages_need_login_by_default(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_login_with_email_and_password(client):
    user = UserFactory(email="camille@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "Camille@Example.org", "password": "password-de-test-1"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == user
