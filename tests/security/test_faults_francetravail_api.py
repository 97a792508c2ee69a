"""The France Travail API failing: retries with exponential backoff and jitter on 500/502/503/504, 429 (after
Retry-After), connection errors and timeouts, at most `max_attempts` calls; the run keeps every page it fetched
and reports each query slice it could not fetch. Recorded responses (`responses`), no network, no real sleep."""

import re
from datetime import UTC, datetime

import pytest
import requests
import responses
from django.core.management import CommandError, call_command

from offers.connectors import francetravail_api as api

SINCE, UNTIL = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC)
SEARCH = re.compile(re.escape(api.SEARCH_URL) + r".*")


def page(first: int, last: int, total: int) -> dict:
    return {
        "json": {"resultats": [{"id": f"O{i}", "intitule": f"Offre {i}"} for i in range(first, last + 1)]},
        "status": 206 if last + 1 < total else 200,
        "headers": {"Content-Range": f"offres {first}-{last}/{total}"},
    }


def add_token(count: int = 1) -> None:
    for _ in range(count):
        responses.add(responses.POST, api.TOKEN_URL, json={"access_token": "tok", "expires_in": 1499})


def make_client(*, jitter: float = 0.0, **options) -> api.FranceTravailClient:
    sleeps: list[float] = []
    client = api.FranceTravailClient(
        client_id="id", client_secret="secret", sleep=sleeps.append, random=lambda: jitter, **options
    )
    client.sleeps = sleeps
    return client


def fetch(client, departements=("59",)) -> list[dict]:
    return list(api.fetch_offers(client, departements=departements, since=SINCE, until=UNTIL))


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@responses.activate
def test_server_errors_are_retried_with_exponential_backoff_and_jitter(status):
    add_token()
    for _ in range(3):
        responses.add(responses.GET, SEARCH, status=status)
    responses.add(responses.GET, SEARCH, **page(0, 9, 10))
    client = make_client(jitter=1.0, max_attempts=4)
    assert len(fetch(client)) == 10
    assert client.sleeps == [1.5, 3.0, 6.0]  # 1, 2, 4 s plus the largest jitter (half of each)
    assert client.report.retries == 3 and not client.report.failures


@responses.activate
def test_the_backoff_is_capped_and_jitter_stays_within_half_of_it():
    add_token()
    for _ in range(5):
        responses.add(responses.GET, SEARCH, status=503)
    responses.add(responses.GET, SEARCH, **page(0, 0, 1))
    client = make_client(jitter=0.5, max_attempts=6, max_wait=5.0)
    assert len(fetch(client)) == 1
    assert client.sleeps == [1.25, 2.5, 5.0, 6.25, 6.25]


@responses.activate
def test_429_waits_for_retry_after_within_the_cap_or_backs_off_without_it():
    add_token()
    responses.add(responses.GET, SEARCH, status=429, headers={"Retry-After": "7"})
    responses.add(responses.GET, SEARCH, status=429, headers={"Retry-After": "3600"})
    responses.add(responses.GET, SEARCH, status=429)
    responses.add(responses.GET, SEARCH, **page(0, 4, 5))
    client = make_client(max_attempts=4, max_wait=60.0)
    assert len(fetch(client)) == 5
    assert client.sleeps == [7.0, 60.0, 4.0]  # as told; capped; third attempt's backoff
    assert client.report.throttled == 3


@pytest.mark.parametrize(
    "error",
    [
        requests.ConnectTimeout("connect timed out"),
        requests.ReadTimeout("read timed out"),
        requests.ConnectionError("refused"),
        requests.exceptions.ChunkedEncodingError("connection broken mid-answer"),
    ],
)
@responses.activate
def test_connection_errors_and_timeouts_are_retried(error):
    add_token()
    responses.add(responses.GET, SEARCH, body=error)
    responses.add(responses.GET, SEARCH, **page(0, 1, 2))
    client = make_client(max_attempts=2)
    assert len(fetch(client)) == 2 and client.sleeps == [1.0]


@responses.activate
def test_connect_and_read_timeouts_are_configured(monkeypatch):
    monkeypatch.setenv("FRANCE_TRAVAIL_CONNECT_TIMEOUT", "3")
    monkeypatch.setenv("FRANCE_TRAVAIL_READ_TIMEOUT", "45")
    add_token()
    responses.add(responses.GET, SEARCH, **page(0, 0, 1))
    fetch(make_client())
    assert {call.request.req_kwargs["timeout"] for call in responses.calls} == {(3.0, 45.0)}
    assert make_client(connect_timeout=1, read_timeout=2).timeout == (1, 2)


@responses.activate
def test_a_page_is_given_up_after_max_attempts_and_the_rest_is_kept():
    add_token()
    responses.add(responses.GET, SEARCH, **page(0, 149, 400))
    for _ in range(3):
        responses.add(responses.GET, SEARCH, body=requests.ReadTimeout("read timed out"))
    responses.add(responses.GET, SEARCH, **page(300, 399, 400))
    client = make_client(max_attempts=3)
    got = fetch(client, departements=("62",))
    assert [offer["id"] for offer in got] == [f"O{i}" for i in [*range(150), *range(300, 400)]]
    assert len(responses.calls) == 1 + 1 + 3 + 1  # token, page 1, three attempts at page 2, page 3
    assert client.sleeps == [1.0, 2.0]  # no wait after the last attempt
    [failure] = client.report.failures
    assert failure.range == "150-299"
    assert failure.error == "ReadTimeout: read timed out (abandon après 3 tentatives)"
    assert failure.describe() == (
        "Non récupéré : département 62, offres créées du 2025-03-01T00:00:00Z au 2025-03-31T23:59:59Z, "
        "résultats 150-299 — ReadTimeout: read timed out (abandon après 3 tentatives)"
    )


@responses.activate
def test_a_client_error_is_not_retried():
    add_token()
    responses.add(responses.GET, SEARCH, status=400, json={"message": "Paramètre grandDomaine invalide"})
    client = make_client()
    assert fetch(client) == [] and client.sleeps == []
    [failure] = client.report.failures
    assert failure.error.startswith("400 Bad Request") and "grandDomaine invalide" in failure.error


@responses.activate
def test_the_token_call_is_retried_too():
    responses.add(responses.POST, api.TOKEN_URL, status=503)
    responses.add(responses.POST, api.TOKEN_URL, body=requests.ConnectionError("reset"))
    add_token()
    responses.add(responses.GET, SEARCH, **page(0, 0, 1))
    client = make_client()
    assert len(fetch(client)) == 1 and client.sleeps == [1.0, 2.0]


@pytest.fixture
def command_env(monkeypatch):
    from offers import coding
    from tests.offers.conftest import FakeCoder

    monkeypatch.setattr(coding, "get_coder", lambda: FakeCoder())
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", "id")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", "secret")
    monkeypatch.setattr(api.time, "sleep", lambda seconds: None)  # the command's client sleeps for real


@pytest.mark.django_db
@responses.activate
def test_the_run_keeps_what_was_fetched_and_reports_what_was_not(command_env, capsys):
    from offers.models import ImportRun, Publication

    add_token()
    responses.add(responses.GET, SEARCH, **page(0, 1, 2))  # département 59: fine
    for _ in range(5):  # département 80: down
        responses.add(responses.GET, SEARCH, status=502)
    call_command("offers", "fetch-francetravail", "--departements", "59,80", "--days", "7", "--snapshot")
    assert Publication.objects.count() == 2
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.PARTIAL and run.created_count == 2
    assert (
        "1 partie(s) de la recherche non récupérée(s) après nouvelles tentatives (instantané non appliqué)"
        in (run.message)
    )
    assert "Non récupéré : département 80, offres créées du " in run.message
    assert "résultats 0-149 — 502 Bad Gateway (abandon après 5 tentatives)." in run.message
    assert "Non récupéré : département 80" in capsys.readouterr().out


@pytest.mark.django_db
@responses.activate
def test_the_command_fails_only_when_nothing_could_be_fetched(command_env):
    from offers.models import ImportRun

    add_token()
    for _ in range(5):
        responses.add(responses.GET, SEARCH, status=503)
    with pytest.raises(CommandError, match="nothing could be fetched"):
        call_command("offers", "fetch-francetravail", "--departements", "59", "--days", "7")
    assert "503 Service Unavailable" in ImportRun.objects.get().message
