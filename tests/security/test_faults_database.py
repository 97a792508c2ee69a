"""A database that goes away during a request: a clear 503 (DSFR page, or the API's error format) with
Retry-After, the broken connection closed, and the next request works (core.errors)."""

import sqlite3

import psycopg
import pytest
from django.db import OperationalError, connection

from tests.factories import DepartementFactory, UserFactory

API_URL = "/api/v1/territories/departements"
PAGE_URL = "/"

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a PostgreSQL backend")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="simulates a locked SQLite file")


def _assert_page_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Service momentanément indisponible</h1>" in html
    assert 'lang="fr"' in html and "fr-header" in html  # the DSFR page, in French
    assert "Content-Security-Policy" in response.headers  # still behind the security headers


def _assert_api_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    error = response.json()["error"]
    assert error["status"] == 503 and error["code"] == "database_unavailable"
    assert "base de données" in error["message"]


def _terminate_backend_of_this_connection() -> None:
    """pg_terminate_backend from a second connection: what a PostgreSQL restart or failover does to ours."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_terminated_postgresql_backend_gives_503_then_the_next_request_works(client, caplog):
    client.raise_request_exception = False
    DepartementFactory()
    user = UserFactory()
    client.force_login(user)

    _terminate_backend_of_this_connection()
    _assert_page_503(client.get(PAGE_URL))
    assert connection.connection is None  # closed: the next query opens a new one
    assert client.get(PAGE_URL).status_code == 200
    assert any(record.status_code == 503 for record in caplog.records if hasattr(record, "status_code"))

    _terminate_backend_of_this_connection()
    _assert_api_503(client.get(API_URL))
    response = client.get(API_URL)
    assert response.status_code == 200 and "items" in response.json()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_backend_terminated_in_the_middle_of_a_request_gives_503(client):
    """The first query of the request runs; the backend is killed before the next one."""
    client.raise_request_exception = False
    DepartementFactory()
    client.force_login(UserFactory())
    queries = []

    def kill_after_first_query(execute, sql, params, many, context):
        queries.append(sql)
        result = execute(sql, params, many, context)
        if len(queries) == 1:
            _terminate_backend_of_this_connection()
        return result

    with connection.execute_wrapper(kill_after_first_query):
        _assert_page_503(client.get(PAGE_URL))
    assert len(queries) >= 2  # the session was read, the request died on a later query
    assert client.get(PAGE_URL).status_code == 200


def _locked(execute, sql, params, many, context):
    # What Django raises when SQLite's busy timeout runs out (its error wrapper is inside the execute wrappers).
    raise OperationalError("database is locked") from sqlite3.OperationalError("database is locked")


@sqlite_only
@pytest.mark.django_db
def test_a_locked_sqlite_database_gives_503_then_the_next_request_works(client, caplog):
    client.raise_request_exception = False
    DepartementFactory()
    client.force_login(UserFactory())
    with connection.execute_wrapper(_locked):
        page = client.get(PAGE_URL)
        api = client.get(API_URL)
    _assert_page_503(page)
    _assert_api_503(api)
    assert (
        "Service Unavailable" in caplog.text and "database is locked" in caplog.text
    )  # logged, with the cause
    assert client.get(PAGE_URL).status_code == 200
    assert client.get(API_URL).status_code == 200


def _no_such_table(execute, sql, params, many, context):
    raise OperationalError("no such table: offers_offer") from sqlite3.OperationalError("no such table")


@sqlite_only
@pytest.mark.django_db
def test_a_schema_error_is_not_disguised_as_an_unavailable_database(client):
    """A missing table is a deployment bug (migrations not run): a 500, not "try again later"."""
    client.raise_request_exception = False
    client.force_login(UserFactory())
    with connection.execute_wrapper(_no_such_table):
        response = client.get(PAGE_URL)
        api = client.get(API_URL)
    assert response.status_code == 500 and api.status_code == 500
    assert "Retry-After" not in response.headers
