import pytest

from accounts.models import Role
from tests.factories import CommuneFactory, OrganisationFactory, advisor_of
from training.models import TrainingSession

pytestmark = pytest.mark.django_db

FORM = {
    "title": "DEAS",
    "commune_code": "80021",
    "rome_codes": "j1501",
    "certifying": "1",
    "places": "24",
    "start_date": "2026-09-01",
    "end_date": "2027-06-30",
}


def test_advisor_sees_sessions_but_cannot_enter_one(client):
    client.force_login(advisor_of(OrganisationFactory()))
    assert client.get("/formations/").status_code == 200
    assert client.get("/formations/nouvelle/").status_code == 403


def test_manager_enters_a_session_by_hand(client):
    CommuneFactory(code="80021", name="Amiens")
    manager = advisor_of(OrganisationFactory(), role=Role.MANAGER)
    client.force_login(manager)
    response = client.post("/formations/nouvelle/", FORM)
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/formations/{session.pk}/"
    assert (session.source, session.rome_codes, session.commune_id, session.created_by) == (
        "manual",
        "J1501",
        "80021",
        manager,
    )
    assert "DEAS" in client.get(f"/formations/{session.pk}/").content.decode()


def test_manual_session_is_validated(client):
    CommuneFactory(code="80021", name="Amiens")
    client.force_login(advisor_of(OrganisationFactory(), role=Role.ADMINISTRATOR))
    response = client.post(
        "/formations/nouvelle/",
        {**FORM, "commune_code": "99999", "rome_codes": "X1", "end_date": "2026-01-01"},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"commune_code", "rome_codes", "end_date"}
    assert not TrainingSession.objects.exists()


def test_list_shows_latest_apprenticeship_year(client):
    from training.models import ApprenticeshipFigure

    for year, places in ((2025, 50), (2026, 12)):
        ApprenticeshipFigure.objects.create(
            key=str(year), year=year, rome_code="J1501", commune_code="80021", places=places, contracts=7
        )
    client.force_login(advisor_of(OrganisationFactory()))
    html = client.get("/formations/").content.decode()
    assert "Places offertes et contrats signés en 2026, par métier" in html
    assert "<td>12</td><td>7</td>" in html
