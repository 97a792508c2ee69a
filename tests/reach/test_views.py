import pytest

from tests.factories import CommuneFactory


@pytest.fixture
def communes(db):
    CommuneFactory(code="80021", name="Amiens", latitude=49.89389, longitude=2.30250, population=133_000)
    CommuneFactory(code="80001", name="Abbeville", latitude=50.10583, longitude=1.83500, population=22_000)


def test_the_page_is_public_and_explains_the_method(client, communes):
    response = client.get("/trajets/")
    assert response.status_code == 200
    assert "Méthode" in response.content.decode()


def test_the_page_gives_times_for_two_communes_without_javascript(client, communes):
    response = client.get("/trajets/", {"origin_text": "Amiens (80)", "destination_text": "Abbeville"})
    html = response.content.decode()
    assert response.status_code == 200, response.context["form"].errors
    assert "De Amiens à Abbeville" in html
    assert "transports en commun" in html and "voiture" in html
