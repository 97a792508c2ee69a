"""The aggregated dashboard: numbers by aid, institution and basin; territory and period filters; CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from jobseekers.models import AidRequest
from jobseekers.selectors import aid_requests_summary
from tests.factories import BassinFactory, CommuneFactory, DepartementFactory, OrganisationFactory, advisor_of
from tests.jobseekers.factories import AidFactory, AidRequestFactory, JobSeekerFactory, page_text


@pytest.fixture
def requests_data(db):
    amiens = CommuneFactory(code="80021", name="Amiens")
    laon = CommuneFactory(
        code="02408",
        name="Laon",
        departement=DepartementFactory(code="02", name="Aisne"),
        bassin=BassinFactory(code="3201", name="LAON"),
    )
    mobility = AidFactory(id="mobilite", label="Aide à la mobilité", institution="France Travail")
    licence = AidFactory(id="permis-region", label="Aide au permis", institution="Région Hauts-de-France")
    in_amiens, in_laon = JobSeekerFactory(commune=amiens), JobSeekerFactory(commune=laon)
    make = AidRequestFactory
    make(
        jobseeker=in_amiens,
        aid=mobility,
        status="granted",
        amount_requested=100,
        amount_granted=Decimal("90"),
    )
    make(jobseeker=in_amiens, aid=mobility, status="paid", amount_requested=50, amount_granted=Decimal("50"))
    make(jobseeker=in_amiens, aid=mobility, status="refused", amount_requested=70)
    make(jobseeker=in_amiens, aid=mobility, status="cancelled", amount_requested=999)
    make(jobseeker=in_laon, aid=mobility, status="sent", amount_requested=30)
    make(
        jobseeker=in_laon,
        aid=licence,
        status="granted",
        amount_requested=1200,
        amount_granted=Decimal("1000"),
    )
    old = make(
        jobseeker=in_laon, aid=licence, status="granted", amount_requested=500, amount_granted=Decimal("500")
    )
    AidRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    return {"amiens": amiens, "laon": laon}


def test_summary_by_aid_institution_and_basin(requests_data):
    summary = aid_requests_summary()
    assert summary.totals == {
        "requested": 6,
        "granted": 4,
        "refused": 1,
        "amount_requested": Decimal("1950"),
        "amount_granted": Decimal("1640"),
    }
    by_aid = {row["key"]: row for row in summary.by("aid")}
    assert by_aid["mobilite"]["requested"] == 4 and by_aid["mobilite"]["granted"] == 2
    assert by_aid["mobilite"]["amount_granted"] == Decimal("140")
    by_institution = {row["label"]: row["amount_granted"] for row in summary.by("institution")}
    assert by_institution == {"France Travail": Decimal("140"), "Région Hauts-de-France": Decimal("1500")}
    by_bassin = {row["key"]: (row["requested"], row["granted"]) for row in summary.by("bassin")}
    assert by_bassin == {"3202": (3, 2), "3201": (3, 2)}


def test_summary_filters_by_territory_and_period(requests_data):
    laon = requests_data["laon"]
    assert aid_requests_summary(territory=laon.bassin).totals["requested"] == 3
    assert aid_requests_summary(territory=laon.departement).totals["requested"] == 3
    assert aid_requests_summary(territory=requests_data["amiens"].region).totals["requested"] == 6
    recent = aid_requests_summary(start=timezone.localdate() - timedelta(days=30))
    assert recent.totals["requested"] == 5 and recent.totals["amount_granted"] == Decimal("1140")
    assert aid_requests_summary(end=timezone.localdate() - timedelta(days=30)).totals["requested"] == 1


def test_dashboard_page_and_csv_for_a_committee_member(client, requests_data):
    member = advisor_of(OrganisationFactory(), role=Role.COMMITTEE_MEMBER)
    client.force_login(member)
    page = page_text(client.get(reverse("jobseekers:dashboard"), {"territory": "bassin:3201"}))
    assert (
        "Aide au permis" in page
        and "<svg" in page
        and "<caption>Demandes et accords par aide</caption>" in page
    )
    assert "Amiens" not in page  # only Laon's basin
    response = client.get(reverse("jobseekers:dashboard_csv"), {"territory": "bassin:3201"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {(r["aide_id"], r["demandes"], r["accordees"], r["montant_accorde"]) for r in rows} == {
        ("mobilite", "1", "0", "0.00"),
        ("permis-region", "2", "2", "1500.00"),
    }


def test_demo_requests_are_counted_and_said(client, requests_data):
    from jobseekers.models import JobSeeker

    assert aid_requests_summary().demo_requests == 0
    JobSeeker.objects.filter(commune=requests_data["laon"]).update(is_demo=True)
    assert aid_requests_summary().demo_requests == 3
    assert aid_requests_summary(start=timezone.localdate() - timedelta(days=30)).demo_requests == 2
    client.force_login(advisor_of(OrganisationFactory()))
    page = page_text(client.get(reverse("jobseekers:dashboard")))
    assert "Ces chiffres comprennent 3 demandes de démonstration" in page


def test_dashboard_has_no_personal_data(client, requests_data):
    member = advisor_of(OrganisationFactory(), role=Role.COMMITTEE_MEMBER)
    client.force_login(member)
    page = page_text(client.get(reverse("jobseekers:dashboard")))
    assert "Testeur" not in page and "@example.org" not in page


def test_dashboard_is_refused_without_a_role(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("jobseekers:dashboard")).status_code == 403
    assert client.get(reverse("jobseekers:dashboard_csv")).status_code == 403


def test_dashboard_rejects_an_inverted_period(client, requests_data):
    client.force_login(advisor_of(OrganisationFactory()))
    page = client.get(
        reverse("jobseekers:dashboard"), {"start": "2026-02-01", "end": "2026-01-01"}
    ).content.decode()
    assert "La fin de la période précède son début." in page
