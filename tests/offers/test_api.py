import pytest

from offers import services
from offers.models import Offer
from tests.offers.factories import CanonicalOfferFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(communes, fake_coder, fake_dedup):
    ft = SourceFactory(name="francetravail", label="France Travail")
    region = SourceFactory(name="region", label="Région")
    services.import_records(
        source=ft,
        records=[
            CanonicalOfferFactory(source_id="F1", url="https://ft.example/F1"),
            CanonicalOfferFactory(
                source_id="F2", title="Agent d'entretien", employer_name="Mairie", commune_code="59350"
            ),
        ],
    )
    services.import_records(source=region, records=[CanonicalOfferFactory(source="region", source_id="R1")])
    return Offer.objects.order_by("pk")


def test_search_is_public_with_filters_facets_and_distance(client, offers):
    response = client.get(
        "/api/v1/offers", {"q": "boulanger", "commune": "80021", "radius_km": 30, "contract": "CDI"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["count_is_exact"] is True
    [item] = body["items"]
    assert item["title"] == "Boulanger (H/F)" and item["operators"] == ["France Travail", "Région"]
    assert item["publication_count"] == 2 and item["distance_km"] == 0.0 and item["commune"] == "80021"
    assert {f["value"]: f["count"] for f in body["facets"]["source"]} == {"francetravail": 1, "region": 1}


def test_search_validates_parameters(client, offers):
    response = client.get("/api/v1/offers", {"contract": "PERMANENT", "radius_km": -3})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    fields = " ".join(d["field"] for d in response.json()["error"]["details"])
    assert "contract" in fields and "radius_km" in fields


def test_search_pagination(client, offers):
    body = client.get("/api/v1/offers", {"limit": 1, "offset": 1, "sort": "date"}).json()
    assert (body["count"], body["limit"], body["offset"], len(body["items"])) == (2, 1, 1, 1)


def test_search_count_is_a_lower_bound_beyond_the_matches_read(client, offers, monkeypatch, settings):
    from offers import selectors

    settings.OFFERS_SEARCH_INDEX = False  # the database search's bound; the index counts every match
    monkeypatch.setattr(selectors, "MATCHES_READ", 1)
    body = client.get("/api/v1/offers", {"sort": "date"}).json()
    assert (body["count"], body["count_is_exact"], len(body["items"])) == (1, False, 1)
    assert client.get("/api/v1/offers", {"sort": "date", "limit": 1, "offset": 1}).json()["items"] == []


def test_offer_detail_with_publications(client, offers):
    offer = offers.first()
    body = client.get(f"/api/v1/offers/{offer.pk}").json()
    assert body["id"] == offer.pk and body["status"] == "open"
    assert [(p["source"], p["source_id"], p["operator"]) for p in body["publications"]] == [
        ("francetravail", "F1", "France Travail"),
        ("region", "R1", "Région"),
    ]
    assert body["publications"][0]["url"] == "https://ft.example/F1"
    assert body["publications"][1]["dedup_signals"]["employer"] == 100
    missing = client.get("/api/v1/offers/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/offers" in paths and "/api/v1/offers/{offer_id}" in paths
    parameters = {p["name"] for p in paths["/api/v1/offers"]["get"]["parameters"]}
    assert {
        "q",
        "commune",
        "radius_km",
        "rome",
        "appellation",
        "departement",
        "bassin",
        "contract",
        "source",
        "sort",
    } <= parameters
