import pytest

from tests.factories import CommuneFactory


@pytest.fixture
def communes(db):
    CommuneFactory(code="80021", name="Amiens", latitude=49.89389, longitude=2.30250, population=133_000)
    CommuneFactory(code="80001", name="Abbeville", latitude=50.10583, longitude=1.83500, population=22_000)
    CommuneFactory(code="80500", name="Hameau", latitude=49.95, longitude=2.25, population=120)


def test_trip_gives_every_mode(client, communes):
    response = client.get("/api/v1/reach/trip", {"origin": "80021", "destination": "80001"})
    assert response.status_code == 200
    body = response.json()
    assert set(body["minutes"]) == {"car", "two_wheeler", "public_transport", "bike", "walk"}
    assert 45 < body["road_km"] < 60
    assert body["minutes"]["car"] < body["minutes"]["bike"]


def test_unknown_commune_is_a_404_in_the_error_format(client, communes):
    response = client.get("/api/v1/reach/trip", {"origin": "80021", "destination": "99999"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_reachable_communes_by_mode(client, communes):
    by_car = client.get(
        "/api/v1/reach/reachable", {"origin": "80021", "mode": "car", "max_minutes": 30}
    ).json()
    on_foot = client.get(
        "/api/v1/reach/reachable", {"origin": "80021", "mode": "walk", "max_minutes": 30}
    ).json()
    assert [c["code"] for c in by_car] == ["80021", "80500"]
    assert [c["code"] for c in on_foot] == ["80021"]


def test_reachable_rejects_absurd_limits(client, communes):
    response = client.get("/api/v1/reach/reachable", {"origin": "80021", "max_minutes": 0})
    assert response.status_code == 422
