import pytest

from tests.diagnosis.factories import ActionLineFactory, DatasetFactory, IndicatorFactory
from tests.factories import OrganisationFactory, advisor_of

pytestmark = pytest.mark.django_db


def test_api_needs_a_session(client):
    response = client.get("/api/v1/diagnosis/datasets")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_indicators_and_action_lines(client):
    DatasetFactory()
    IndicatorFactory()
    IndicatorFactory(occupation_code="J1301", tension_score=None, significant=False)
    ActionLineFactory(status="adopted")
    ActionLineFactory(title="Brouillon")
    client.force_login(advisor_of(OrganisationFactory()))
    assert client.get("/api/v1/diagnosis/datasets").json()[0]["vintage"] == "2025"
    page = client.get(
        "/api/v1/diagnosis/indicators", {"territory_kind": "bassin", "territory_code": "3202"}
    ).json()
    assert page["count"] == 2 and page["items"][0]["occupation_code"] == "J1501"
    assert page["items"][0]["coverage_gap"] == 24
    only = client.get(
        "/api/v1/diagnosis/indicators",
        {"territory_kind": "bassin", "territory_code": "3202", "significant_only": True},
    ).json()
    assert only["count"] == 1
    bad = client.get("/api/v1/diagnosis/indicators", {"territory_kind": "planete", "territory_code": "1"})
    assert bad.status_code == 422
    adopted = client.get("/api/v1/diagnosis/action-lines", {"status": "adopted"}).json()
    assert adopted["count"] == 1 and adopted["items"][0]["status"] == "adopted"
