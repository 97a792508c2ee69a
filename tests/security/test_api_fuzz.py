"""The JSON API fuzzed from its own OpenAPI document: every GET endpoint, with parameters generated from their
schemas (and, one time in four, any text instead), never answers 500 — anonymous and logged in.

schemathesis would pull its own pinned versions of hypothesis and jsonschema; the schema is simple enough
(query and path parameters only) to build the strategies here.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Role
from config.api import api
from tests.factories import AppellationFactory, CommuneFactory, OrganisationFactory, advisor_of
from tests.security.fuzz import FUZZ

API_FUZZ = settings(FUZZ, max_examples=10)

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
GET_OPERATIONS = sorted(
    (path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method == "get"
)


def _resolve(schema: dict) -> dict:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _resolve(SCHEMA["components"]["schemas"][name])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [_resolve(option) for option in schema[key] if option.get("type") != "null"]
            merged = dict(options[0]) if options else {}
            for option in options[1:] if key == "allOf" else []:
                merged |= option
            return merged | {k: v for k, v in schema.items() if k not in (key, "title", "description")}
    return schema


def _values(schema: dict) -> st.SearchStrategy:
    schema = _resolve(schema)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "integer":
        inside = st.integers(schema.get("minimum", -(2**31)), schema.get("maximum", 2**31))
        return inside | st.integers(-(2**70), 2**70)
    if kind == "number":
        return st.floats(allow_nan=True, allow_infinity=True)
    if kind == "boolean":
        return st.booleans().map(lambda value: "true" if value else "false")
    if kind == "array":
        return st.lists(_values(schema.get("items", {})), max_size=3)
    return st.text(max_size=20)


def _parameter(schema: dict) -> st.SearchStrategy:
    garbage = st.text(max_size=30) | st.sampled_from(["", " ", "-1", "0", "1e309", "NaN", "null", "%00", "'"])
    return st.one_of(_values(schema), _values(schema), _values(schema), garbage)


@st.composite
def requests(draw, path: str, operation: dict):
    url, query = path, {}
    for parameter in operation.get("parameters", []):
        required = parameter.get("required", False)
        if not required and draw(st.booleans()):
            continue
        value = draw(_parameter(parameter["schema"]))
        if parameter["in"] == "path":
            url = url.replace("{" + parameter["name"] + "}", quote(str(value), safe="") or "x")
        else:
            query[parameter["name"]] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return url, query


@pytest.fixture
def api_data(db):
    commune = CommuneFactory(code="80021", name="Amiens")
    AppellationFactory(code_ogr=10001)
    return advisor_of(OrganisationFactory(name="France Travail Amiens"), role=Role.ADVISOR), commune


def _answers(client: Client, url: str, query: dict):
    response = client.get(url, query)
    assert response.status_code < 500, (url, query, response.status_code, response.content[:300])
    if (
        url.startswith("/api/")
        and response.status_code >= 400
        and response.headers.get("Content-Type", "").startswith("application/json")
    ):
        assert "error" in response.json() or "detail" in response.json()
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "operation"), GET_OPERATIONS, ids=[path for path, _ in GET_OPERATIONS])
def test_get_endpoint_never_answers_500(path, operation, api_data):
    user, _commune = api_data
    anonymous, logged_in = Client(raise_request_exception=False), Client(raise_request_exception=False)
    logged_in.force_login(user)
    private = bool(operation.get("security"))
    statuses = set()  # content types

    @API_FUZZ
    @given(requests(path, operation))
    def check(request):
        url, query = request
        response = _answers(anonymous, url, query)
        if private:
            assert response.status_code in (401, 404), (url, response.status_code)
        statuses.add(_answers(logged_in, url, query).headers.get("Content-Type", "").split(";")[0])

    check()
    if "{" not in path:  # every answer came from the endpoint's code (JSON), not from the URL resolver
        assert statuses == {"application/json"}, statuses


def test_every_get_endpoint_is_fuzzed():
    assert len(GET_OPERATIONS) >= 20
