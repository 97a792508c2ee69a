"""The permission matrix of docs/security.md (tests/security/access_matrix.py), checked request by request: every
page and API operation, every actor, GETs and changes, with the exact outcome; lists never show another
organisation's private objects; the Django admin is for administrators only; the matrix covers every URL of the
resolver and every operation of the OpenAPI document, and the docs tables are generated from it."""

import json
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from tests.factories import OrganisationFactory, advisor_of
from tests.security import access_matrix
from tests.security.access_matrix import DONE, ENDPOINTS, LISTINGS, LOGIN, Endpoint
from tests.security.access_world import ACTORS, build_world

DOCS = Path(settings.PROJECT_DIR) / "docs" / "security.md"
LOGIN_PATHS = {resolve_url(settings.LOGIN_URL), reverse("admin:login")}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at its end; each test runs in a savepoint."""
    with (
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # PBKDF2 costs 0.5 s a user
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        world.extra.sessions = {}
        world.extra.client = client = Client()
        for actor, user in world.users.items():
            if user is not None:
                client.force_login(user)
                world.extra.sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
                client.cookies = SimpleCookie()
        yield world
        transaction.set_rollback(True)


def client_for(world, actor: str) -> Client:
    """The module's one client with the actor's session cookie (a new Client would load the middleware again,
    whose static files index costs a second)."""
    client = world.extra.client
    client.cookies = SimpleCookie()
    if actor in world.extra.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.extra.sessions[actor]
    return client


@cache
def api_operations() -> dict[str, tuple[str, str]]:
    """{operationId: (method, path)} of the OpenAPI document (built once: it takes a tenth of a second)."""
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def url_for(endpoint: Endpoint, world) -> str:
    kwargs = endpoint.kwargs(world)
    if endpoint.is_api:
        return api_operations()[endpoint.name][1].format(**kwargs)
    return reverse(endpoint.name, kwargs=kwargs)


def send(client: Client, endpoint: Endpoint, world):
    url = url_for(endpoint, world)
    if endpoint.method == "GET":
        return client.get(url, endpoint.query)
    data = endpoint.data(world) if endpoint.data else {}
    if endpoint.is_api:
        return client.generic(endpoint.method, url, json.dumps(data), "application/json")
    return client.post(url, data)


def outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        return LOGIN if urlparse(response["Location"]).path in LOGIN_PATHS else DONE
    return str(response.status_code)


# --- Completeness -----------------------------------------------------------------------------------------------


def url_patterns(patterns=None, namespace="", prefix="") -> dict[str, str]:
    """{URL name: route} of every named pattern of the resolver."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            )
            found |= url_patterns(pattern.url_patterns, inner or namespace, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = route
    return found


def test_every_page_is_in_the_matrix():
    """Admin URLs are covered by the admin tests below, API operations by their operationId."""
    operation_routes = {
        path.lstrip("/").replace("{", "<").replace("}", ">") for _method, path in api_operations().values()
    }
    pages = {
        name
        for name, route in url_patterns().items()
        if not name.startswith("admin:") and route not in operation_routes
    }
    covered = {e.name for e in ENDPOINTS if not e.is_api}
    assert sorted(pages - covered) == [], "pages missing from tests/security/access_matrix.py"
    assert sorted(covered - pages) == [], "matrix entries for pages that no longer exist"


def test_every_api_operation_is_in_the_matrix():
    operations = {(method, op) for op, (method, _path) in api_operations().items()}
    covered = {(e.method, e.name) for e in ENDPOINTS if e.is_api}
    assert sorted(operations - covered) == [], "API operations missing from tests/security/access_matrix.py"
    assert sorted(covered - operations) == [], "matrix entries for API operations that no longer exist"


def test_every_entry_names_every_actor():
    for endpoint in ENDPOINTS:
        assert set(endpoint.expect) == set(ACTORS), endpoint.id


# --- The matrix, request by request -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "actor"),
    [(e, a) for e in ENDPOINTS for a in ACTORS],
    ids=[f"{e.id}-{a}" for e in ENDPOINTS for a in ACTORS],
)
def test_access(db, world, endpoint, actor):
    client = client_for(world, actor)
    before = endpoint.effect(world) if endpoint.effect else None
    got = outcome(send(client, endpoint, world))
    assert got == endpoint.expect[actor]
    if endpoint.effect:
        after = endpoint.effect(world)
        if got == DONE:
            assert after != before, "accepted but nothing changed"
        else:
            assert after == before, f"refused ({got}) but the change was made"


@pytest.mark.parametrize(
    ("listing", "actor"),
    [(item, a) for item in LISTINGS for a in ACTORS if a != "anonymous"],
    ids=[f"{item.name} [{item.obj}]-{a}" for item in LISTINGS for a in ACTORS if a != "anonymous"],
)
def test_lists_show_only_what_the_actor_may_see(db, world, listing, actor):
    client = client_for(world, actor)
    url = url_for(listing, world)
    text = client.get(url, listing.query).content.decode().lower()
    marker = listing.marker(world) if callable(listing.marker) else listing.marker
    assert (marker.lower() in text) == (actor in listing.seen_by)


# --- Django admin ----------------------------------------------------------------------------------------------


def admin_urls(world) -> dict[str, str]:
    urls = {"index": reverse("admin:index")}
    for model in admin.site._registry:
        meta = model._meta
        urls[f"{meta.app_label}.{meta.model_name}"] = reverse(
            f"admin:{meta.app_label}_{meta.model_name}_changelist"
        )
    return urls


@pytest.mark.parametrize("actor", ACTORS)
def test_only_administrators_reach_the_django_admin(db, world, actor):
    client = client_for(world, actor)
    got = {name: outcome(client.get(url)) for name, url in admin_urls(world).items()}
    if actor == "admin":
        # The audit journal is the data protection officer's, in the app (/journal/), not the administrators'.
        assert got == dict.fromkeys(got, "200") | {"audit.auditentry": "403"}
    else:
        assert got == dict.fromkeys(got, LOGIN)


def test_the_staff_flag_alone_shows_nothing(db, world):
    """An agent wrongly given is_staff (no model permission) reaches the admin index but no data in it."""
    client = client_for(world, "anonymous")
    client.force_login(advisor_of(OrganisationFactory(name="Agence Matrice"), is_staff=True))
    got = {name: outcome(client.get(url)) for name, url in admin_urls(world).items()}
    assert got == dict.fromkeys(got, "403") | {"index": "200"}
    index = client.get(reverse("admin:index")).content.decode()
    assert world.own.marker not in index and "Membres" not in index


def test_the_admin_does_not_register_job_seekers_data():
    private_apps = {"jobseekers", "matching", "companies"}
    assert not {m._meta.app_label for m in admin.site._registry} & private_apps


# --- Docs -------------------------------------------------------------------------------------------------------


def test_the_docs_tables_are_generated_from_the_matrix():
    assert access_matrix.current_docs_section(DOCS.read_text()) == access_matrix.render_docs_section(), (
        "docs/security.md is out of date: run `.venv/bin/python -m tests.security.write_access_matrix_docs`"
    )


def test_an_ended_followup_closes_the_record(db, world):
    world.own.record.followups.update(until="2025-06-30")
    client = client_for(world, "advisor")
    assert outcome(client.get(reverse("jobseekers:detail", args=[world.own.record.pk]))) == "404"
