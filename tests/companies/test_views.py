from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from companies.models import Contact, Operation
from tests.companies.factories import EstablishmentFactory
from tests.factories import FicheFactory, OrganisationFactory, advisor_of


@pytest.fixture
def world(db):
    establishment = EstablishmentFactory()
    ft, ml = (
        OrganisationFactory(name="France Travail Amiens"),
        OrganisationFactory(name="Mission locale Amiens"),
    )
    return {
        "establishment": establishment,
        "ft_advisor": advisor_of(ft),
        "ml_advisor": advisor_of(ml),
        "ft": ft,
    }


def test_company_page_records_a_contact_then_warns_another_partner(client, world):
    establishment = world["establishment"]
    client.force_login(world["ft_advisor"])
    data = {
        "kind": "call",
        "date": timezone.localdate().isoformat(),
        "purpose": "Besoins en ASH",
        "consent_to_contact": "on",
    }
    assert client.post(establishment.get_absolute_url(), data).status_code == 302
    client.force_login(world["ml_advisor"])
    page = client.get(establishment.get_absolute_url()).content.decode()
    assert "Sollicitation récente" in page and "France Travail Amiens" in page
    response = client.post(establishment.get_absolute_url(), {**data, "purpose": "Alternance"})
    assert response.status_code == 200 and "Coordonnez-vous" in response.content.decode()
    assert Contact.objects.count() == 1
    client.post(
        establishment.get_absolute_url(), {**data, "purpose": "Alternance", "coordinated_with_referent": "on"}
    )
    assert Contact.objects.count() == 2


def test_pages_need_login_except_the_public_agenda(client, world):
    assert client.get("/entreprises/").status_code == 302
    assert client.get("/entreprises/agenda/").status_code == 200
    assert client.get("/entreprises/agenda.ics").status_code == 200


def test_operation_creation_warns_of_conflicts_then_publishes_on_confirmation(client, world):
    commune = world["establishment"].commune
    FicheFactory(code="J1501")
    start = timezone.now() + timedelta(days=10)
    existing = Operation.objects.create(
        kind="job_fair",
        title="Forum santé",
        organiser=world["ft"],
        commune=commune,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        naf_sectors=["86"],
        created_by=world["ft_advisor"],
    )
    client.force_login(world["ml_advisor"])
    data = {
        "kind": "job_dating",
        "title": "Job dating aides-soignants",
        "commune": commune.code,
        "commune_text": "",
        "starts_at": (start + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(days=2, hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "naf_sectors": "86",
        "fiche_codes": "J1501",
        "is_public": "on",
    }
    response = client.post("/entreprises/operations/nouvelle/", data)
    assert response.status_code == 200, response.context["form"].errors
    assert "Conflit avec d'autres opérations du bassin" in response.content.decode()
    assert [c.other for c in response.context["conflicts"]] == [existing]
    response = client.post("/entreprises/operations/nouvelle/", {**data, "confirm_conflict": "1"})
    created = Operation.objects.get(title="Job dating aides-soignants")
    assert response.status_code == 302 and list(created.fiches.values_list("code", flat=True)) == ["J1501"]

    calendar = Calendar.from_ical(client.get("/entreprises/agenda.ics").content)
    assert {str(event["summary"]) for event in calendar.walk("VEVENT")} == {
        "Forum ou salon de l'emploi : Forum santé",
        "Job dating : Job dating aides-soignants",
    }
