"""The API client against recorded responses (the `responses` library): never the network."""

import json
import re
from datetime import UTC, datetime

import pytest
import requests
import responses

from offers.connectors import francetravail_api as api

SINCE, UNTIL = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC)
SEARCH = re.compile(re.escape(api.SEARCH_URL) + r".*")


def offers(first, last, prefix="O"):
    return {"resultats": [{"id": f"{prefix}{i}", "intitule": f"Offre {i}"} for i in range(first, last + 1)]}


def token(rsps, count=1):
    for _ in range(count):
        rsps.add(
            responses.POST,
            api.TOKEN_URL,
            json={"access_token": "tok", "expires_in": 1499, "token_type": "Bearer"},
        )


@pytest.fixture
def client():
    sleeps = []
    c = api.FranceTravailClient(
        client_id="id", client_secret="secret", sleep=sleeps.append, random=lambda: 0.0, max_attempts=3
    )
    c.sleeps = sleeps
    return c


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("FRANCE_TRAVAIL_CLIENT_ID", raising=False)
    with pytest.raises(api.ApiError, match="FRANCE_TRAVAIL_CLIENT_ID"):
        api.FranceTravailClient()
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", "env-id")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", "env-secret")
    assert api.FranceTravailClient().client_id == "env-id"


@responses.activate
def test_oauth_then_pages_of_150_with_content_range(client):
    token(responses)
    responses.add(
        responses.GET, SEARCH, json=offers(0, 149), status=206, headers={"Content-Range": "offres 0-149/320"}
    )
    responses.add(
        responses.GET,
        SEARCH,
        json=offers(150, 299),
        status=206,
        headers={"Content-Range": "offres 150-299/320"},
    )
    responses.add(
        responses.GET,
        SEARCH,
        json=offers(300, 319),
        status=206,
        headers={"Content-Range": "offres 300-319/320"},
    )
    got = list(api.fetch_offers(client, departements=("80",), since=SINCE, until=UNTIL))
    assert len(got) == 320 and got[-1]["id"] == "O319"
    auth = responses.calls[0].request
    assert "grant_type=client_credentials" in auth.body and "scope=api_offresdemploiv2+o2dsoffre" in auth.body
    assert "realm=%2Fpartenaire" in auth.url
    ranges = [re.search(r"range=([\d-]+)", call.request.url).group(1) for call in responses.calls[1:]]
    assert ranges == ["0-149", "150-299", "300-319"]
    first = responses.calls[1].request
    assert first.headers["Authorization"] == "Bearer tok"
    assert "departement=80" in first.url and "minCreationDate=2025-03-01T00%3A00%3A00Z" in first.url
    assert len(responses.calls) == 4  # one token for all pages
    assert client.report.pages == 3 and client.report.offers == 320


@responses.activate
def test_empty_result_is_204(client):
    token(responses)
    responses.add(responses.GET, SEARCH, status=204)
    assert list(api.fetch_offers(client, departements=("02",), since=SINCE, until=UNTIL)) == []
    assert not client.report.failures


@responses.activate
def test_429_waits_for_retry_after_then_succeeds(client):
    token(responses)
    responses.add(responses.GET, SEARCH, status=429, headers={"Retry-After": "2"})
    responses.add(
        responses.GET, SEARCH, json=offers(0, 9), status=200, headers={"Content-Range": "offres 0-9/10"}
    )
    assert len(list(api.fetch_offers(client, departements=("59",), since=SINCE, until=UNTIL))) == 10
    assert client.sleeps == [2.0] and client.report.throttled == 1


@responses.activate
def test_5xx_and_timeouts_are_retried_and_what_fails_is_reported(client):
    token(responses)
    # Page 1 works after a 503 and a timeout; page 2 keeps failing: reported, the rest goes on.
    responses.add(responses.GET, SEARCH, status=503)
    responses.add(responses.GET, SEARCH, body=requests.Timeout("read timed out"))
    responses.add(
        responses.GET, SEARCH, json=offers(0, 149), status=206, headers={"Content-Range": "offres 0-149/400"}
    )
    for _ in range(3):
        responses.add(responses.GET, SEARCH, status=500)
    responses.add(
        responses.GET,
        SEARCH,
        json=offers(300, 399),
        status=206,
        headers={"Content-Range": "offres 300-399/400"},
    )
    got = list(api.fetch_offers(client, departements=("62",), since=SINCE, until=UNTIL))
    assert len(got) == 250
    [failure] = client.report.failures
    assert (
        failure.range == "150-299"
        and "500 Internal Server Error (abandon après 3 tentatives)" in failure.error
    )
    assert failure.params["departement"] == "62"
    assert client.sleeps[:2] == [1.0, 2.0]  # exponential backoff
    assert any(line.startswith("Non récupéré : département 62") for line in client.report.lines())


@responses.activate
def test_expired_token_is_renewed_on_401(client):
    token(responses, count=2)
    responses.add(responses.GET, SEARCH, status=401)
    responses.add(
        responses.GET, SEARCH, json=offers(0, 0), status=200, headers={"Content-Range": "offres 0-0/1"}
    )
    assert len(list(api.fetch_offers(client, departements=("60",), since=SINCE, until=UNTIL))) == 1
    assert sum(1 for c in responses.calls if c.request.url.startswith(api.TOKEN_URL)) == 2


@responses.activate
def test_queries_over_the_cap_are_split_by_date(client):
    token(responses)

    def search(request):
        params = dict(p.split("=", 1) for p in request.url.split("?", 1)[1].split("&"))
        first, last = (int(x) for x in params["range"].split("-"))
        whole_month = params["minCreationDate"].startswith("2025-03-01") and params[
            "maxCreationDate"
        ].startswith("2025-03-31")
        total = 5000 if whole_month else 2000
        prefix = params["minCreationDate"][:10]
        body = {"resultats": [{"id": f"{prefix}-{i}"} for i in range(first, min(last, total - 1) + 1)]}
        return 206, {"Content-Range": f"offres {first}-{last}/{total}"}, json.dumps(body)

    responses.add_callback(responses.GET, SEARCH, callback=search)
    got = list(api.fetch_offers(client, departements=("59",), since=SINCE, until=UNTIL))
    assert client.report.splits == 1
    assert len(got) == 4000 and len({o["id"] for o in got}) == 4000
    assert not client.report.failures


def test_split_goes_from_dates_to_grand_domaines_then_stops():
    hour = api.Query("59", SINCE, SINCE.replace(minute=59))
    parts = api.split(hour)
    assert [p.grand_domaine for p in parts] == list(api.GRANDS_DOMAINES)
    assert api.split(parts[0]) == []
    halves = api.split(api.Query("59", SINCE, UNTIL))
    assert halves[0].min_date == SINCE and halves[1].max_date == UNTIL
    assert halves[0].max_date < halves[1].min_date


@pytest.mark.django_db
@responses.activate
def test_fetch_command_imports_what_the_api_serves(monkeypatch, communes, capsys):
    from django.core.management import call_command

    from offers import coding
    from offers.models import Publication
    from tests.offers.conftest import FakeCoder

    monkeypatch.setattr(coding, "get_coder", lambda: FakeCoder())
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", "id")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", "secret")
    token(responses)
    body = {"resultats": [{"id": "A1", "intitule": "Boulanger", "lieuTravail": {"commune": "80021"}}]}
    responses.add(responses.GET, SEARCH, json=body, status=200, headers={"Content-Range": "offres 0-0/1"})
    call_command("offers", "fetch-francetravail", "--departements", "80", "--days", "7")
    out = capsys.readouterr().out
    assert "1 offers in 1 pages" in out and "read 1, created 1" in out
    assert Publication.objects.get().commune_id == "80021"
