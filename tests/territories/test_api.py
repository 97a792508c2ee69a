import pytest

API = "/api/v1/territories"


def test_commune_by_code(client, fixture_territory):
    response = client.get(f"{API}/communes/96001")

    assert response.status_code == 200
    assert response.json() == {
        "code": "96001",
        "name": "Villecentre",
        "departement": "96",
        "departement_name": "Département d'essai",
        "region": "98",
        "epci": "200000001",
        "epci_name": "CA Villecentre Métropole",
        "zone_emploi": "9801",
        "zone_emploi_name": "Villecentre",
        "bassin": "9801",
        "bassin_name": "VILLECENTRE",
        "population": 130000,
        "postal_codes": ["96000", "96080"],
        "latitude": 46.9,
        "longitude": -6.3,
    }


def test_commune_by_arrondissement_code_answers_the_commune(client, fixture_territory):
    data = client.get(f"{API}/communes/97901").json()
    assert (data["code"], data["name"], data["epci"], data["zone_emploi"]) == (
        "97056",
        "Métropole",
        "200000002",
        "9901",
    )


def test_commune_without_epci_or_coordinates_has_nulls(client, fixture_territory):
    data = client.get(f"{API}/communes/96003").json()
    assert data["epci"] is None and data["epci_name"] is None
    assert data["zone_emploi"] == "9801" and data["bassin"] == "9802"


def test_unknown_commune_is_a_404_in_the_project_format(client, fixture_territory):
    response = client.get(f"{API}/communes/99999")

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "Aucune commune n'a le code INSEE « 99999 ».",
            "details": [],
        }
    }


def test_search_best_match_first_and_paginated(client, fixture_territory):
    data = client.get(f"{API}/communes", {"q": "villecentre"}).json()
    assert data["count"] == 2
    assert [(item["code"], item["label"]) for item in data["items"]] == [
        ("96001", "Villecentre (96)"),
        ("96002", "Dreuil-lès-Villecentre (96)"),
    ]
    assert data["items"][0]["postal_codes"] == ["96000", "96080"]

    second = client.get(f"{API}/communes", {"q": "villecentre", "limit": 1, "offset": 1}).json()
    assert second["count"] == 2
    assert [item["code"] for item in second["items"]] == ["96002"]


def test_search_filters(client, fixture_territory):
    by_postal_code = client.get(f"{API}/communes", {"postal_code": "96470"}).json()
    assert [item["code"] for item in by_postal_code["items"]] == ["96002"]
    by_departement = client.get(f"{API}/communes", {"q": "metropole", "departement": "96"}).json()
    assert by_departement["items"] == []


def test_search_limit_is_capped(client, fixture_territory):
    response = client.get(f"{API}/communes", {"q": "ville", "limit": 1000})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_near_is_not_taken_for_an_insee_code(client, fixture_territory):
    response = client.get(f"{API}/communes/near", {"latitude": 46.9, "longitude": -6.3, "radius_km": 5})

    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["code"], item["label"]) for item in items] == [
        ("96001", "Villecentre (96)"),
        ("96002", "Dreuil-lès-Villecentre (96)"),
    ]
    assert items[0]["distance_km"] == 0
    assert 4 < items[1]["distance_km"] < 5


def test_near_widens_with_the_radius(client, fixture_territory):
    items = client.get(f"{API}/communes/near", {"latitude": 46.9, "longitude": -6.3, "radius_km": 20}).json()[
        "items"
    ]
    assert [item["code"] for item in items] == ["96001", "96002", "96003"]
    distances = [item["distance_km"] for item in items]
    assert distances == sorted(distances)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"latitude": 46.9, "longitude": -6.3, "radius_km": 500}, "query.radius_km"),
        ({"latitude": 46.9, "longitude": -6.3, "radius_km": 0}, "query.radius_km"),
        ({"latitude": 95, "longitude": -6.3}, "query.latitude"),
        ({"longitude": -6.3}, "query.latitude"),
    ],
)
def test_near_validates_its_parameters(client, fixture_territory, params, field):
    response = client.get(f"{API}/communes/near", params)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in [detail["field"] for detail in error["details"]]


def test_region_territories(client, fixture_territory):
    departements = client.get(f"{API}/departements").json()
    assert [(d["code"], d["commune_count"], d["population"]) for d in departements["items"]] == [
        ("96", 3, 132040)
    ]
    all_departements = client.get(f"{API}/departements", {"all": "true", "limit": 100}).json()
    assert {"96", "97"} <= {d["code"] for d in all_departements["items"]}

    zones = client.get(f"{API}/zones-emploi").json()["items"]
    assert [(z["code"], z["name"], z["commune_count"]) for z in zones] == [("9801", "Villecentre", 3)]
    bassins = client.get(f"{API}/bassins").json()["items"]
    assert [(b["code"], b["commune_count"]) for b in bassins] == [("9801", 2), ("9802", 1)]
    epcis = client.get(f"{API}/epcis").json()["items"]
    assert [(e["code"], e["kind"], e["commune_count"]) for e in epcis] == [("200000001", "CA", 2)]


def test_documented_in_openapi(client, fixture_territory):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "communes",
        "communes/near",
        "communes/{insee_code}",
        "departements",
        "zones-emploi",
        "bassins",
        "epcis",
    ):
        assert f"{API}/{path}" in paths
    assert "CommuneOut" in schema["components"]["schemas"]
