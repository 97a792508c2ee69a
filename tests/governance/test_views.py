import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from accounts import demo as accounts_demo
from accounts.models import Role, User
from governance import demo, indicators
from governance.models import Attendance, Committee, Level, Meeting, Member, Motion, Protocol
from tests.factories import BassinFactory, DepartementFactory, OrganisationFactory, RegionFactory, advisor_of
from tests.governance.factories import MeetingFactory, MemberFactory, regional_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data():
    RegionFactory()
    DepartementFactory()
    DepartementFactory(code="02", name="Aisne")
    BassinFactory()
    accounts_demo.load()
    demo.load()
    return User.objects.get(email="admin@reseau.demo")


def test_demo_is_idempotent_and_marked_as_example(demo_data):
    counts = (
        Committee.objects.count(),
        Member.objects.count(),
        Meeting.objects.count(),
        Motion.objects.count(),
    )
    demo.load()
    assert counts == (
        Committee.objects.count(),
        Member.objects.count(),
        Meeting.objects.count(),
        Motion.objects.count(),
    )
    assert not Committee.objects.filter(is_example=False).exists()
    protocol = Protocol.objects.get(slug="hauts-de-france-2023")
    assert all(c.is_example and "(exemple)" in c.title for c in protocol.commitments.all())


def test_every_page_renders_for_an_administrator(client, demo_data):
    client.force_login(demo_data)
    regional = Committee.objects.get(level=Level.REGIONAL)
    meeting = regional.meetings.filter(status=Meeting.Status.HELD).get()
    motion = meeting.motions.get()
    protocol = Protocol.objects.get()
    commitment = protocol.commitments.first()
    sheet = commitment.sheets.first()
    indicator = commitment.indicators.first()
    urls = [
        reverse("governance:home"),
        reverse("governance:committee_create"),
        reverse("governance:committee", args=[regional.pk]),
        reverse("governance:committee_edit", args=[regional.pk]),
        reverse("governance:composition", args=[regional.pk]),
        reverse("governance:member_create", args=[regional.pk]),
        reverse("governance:member_edit", args=[regional.members.first().pk]),
        reverse("governance:meeting_create", args=[regional.pk]),
        reverse("governance:meeting", args=[meeting.pk]),
        reverse("governance:meeting_edit", args=[meeting.pk]),
        reverse("governance:session", args=[meeting.pk]),
        reverse("governance:quorum", args=[meeting.pk]),
        reverse("governance:action_add", args=[motion.pk]),
        reverse("governance:configuration"),
        reverse("governance:queries"),
        reverse("governance:protocol", args=[protocol.slug]),
        reverse("governance:commitment_create", args=[protocol.slug]),
        reverse("governance:dashboard", args=[protocol.slug]),
        reverse("governance:commitment", args=[commitment.pk]),
        reverse("governance:commitment_edit", args=[commitment.pk]),
        reverse("governance:sheet_create", args=[commitment.pk]),
        reverse("governance:sheet", args=[sheet.pk]),
        reverse("governance:sheet_edit", args=[sheet.pk]),
        reverse("governance:indicator_create", args=[commitment.pk]),
        reverse("governance:indicator", args=[indicator.pk]),
        reverse("governance:indicator_edit", args=[indicator.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_dashboard_shows_unavailable_indicator_instead_of_a_value(client, demo_data):
    client.force_login(demo_data)
    response = client.get(reverse("governance:dashboard", args=["hauts-de-france-2023"]))
    content = response.content.decode()
    assert "offers.aggregated" in content and "companies.recruitment_events_hires" in content
    if not indicators.get("companies.recruitment_events_hires").available:
        assert "Pas encore disponible" in content
    assert "<svg" in content and "<caption>Fiches action par enjeu et par état</caption>" in content


def test_configuration_page_reports_each_point(client, demo_data):
    client.force_login(demo_data)
    content = client.get(reverse("governance:configuration")).content.decode()
    assert content.count("Satisfait") == 5  # the demo has no company-services measure adopted yet
    assert "Non satisfait" in content


def test_committees_require_login(client):
    response = client.get(reverse("governance:home"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_plain_advisor_reads_but_cannot_manage(client):
    committee = regional_committee()
    meeting = MeetingFactory(committee=committee)
    client.force_login(advisor_of(OrganisationFactory()))
    assert client.get(reverse("governance:committee", args=[committee.pk])).status_code == 200
    assert client.get(reverse("governance:meeting_create", args=[committee.pk])).status_code == 403
    member = committee.members.first()
    response = client.post(
        reverse("governance:attendance", args=[meeting.pk]), {"member": member.pk, "status": "present"}
    )
    assert response.status_code == 403
    assert client.get(reverse("governance:committee_create")).status_code == 403


def test_co_chair_and_secretariat_manage_their_committee(client):
    secretariat = OrganisationFactory()
    committee = regional_committee(secretariat=secretariat)
    chair_user = advisor_of(OrganisationFactory())
    Member.objects.filter(committee=committee, chair="state").update(user=chair_user)
    client.force_login(chair_user)
    assert client.get(reverse("governance:meeting_create", args=[committee.pk])).status_code == 200
    client.force_login(advisor_of(secretariat, role=Role.MANAGER))
    assert client.get(reverse("governance:meeting_create", args=[committee.pk])).status_code == 200
    other = regional_committee()
    assert client.get(reverse("governance:meeting_create", args=[other.pk])).status_code == 403


def test_members_see_their_committees(client):
    committee = regional_committee()
    user = advisor_of(OrganisationFactory())
    MemberFactory(committee=committee, full_name="Moi", user=user)
    client.force_login(user)
    upcoming = MeetingFactory(
        committee=committee,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
        title="Prochaine séance",
    )
    MeetingFactory(
        committee=regional_committee(name="Autre comité"),
        title="Pas la mienne",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=4),
    )
    response = client.get(reverse("governance:home"))
    assert list(response.context["mine"]) == [committee]
    assert list(response.context["upcoming"]) == [upcoming]


def test_attendance_with_htmx_returns_the_live_quorum(client):
    committee = regional_committee()
    meeting = MeetingFactory(committee=committee)
    client.force_login(User.objects.create_superuser("root@example.org", "password-de-test-1"))
    prefect = committee.members.get(chair="state")
    response = client.post(
        reverse("governance:attendance", args=[meeting.pk]),
        {"member": prefect.pk, "status": "present"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200 and 'id="session-panel"' in content
    assert "Quorum : atteint" in content  # 1 of 2 voting seats: exactly half
    assert Attendance.objects.get(meeting=meeting, member=prefect).status == "present"


def test_invitations_are_emailed_with_an_ics_and_downloadable(client):
    committee = regional_committee()
    Member.objects.filter(committee=committee).update(email="membre@example.org")
    MemberFactory(committee=committee, full_name="Sans adresse")
    meeting = MeetingFactory(committee=committee)
    client.force_login(User.objects.create_superuser("root@example.org", "password-de-test-1"))
    client.post(reverse("governance:invite", args=[meeting.pk]))
    assert len(mail.outbox) == 2
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "reunion.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["uid"]).startswith(str(meeting.uid)) and event["sequence"] == 1
    assert event.decoded("dtstart") == meeting.starts_at
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED and meeting.invitations.count() == 2
    response = client.get(reverse("governance:ical", args=[meeting.pk]))
    assert Calendar.from_ical(response.content).walk("VEVENT")[0]["summary"].startswith(committee.name)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_dashboard_exports(client, demo_data, fmt):
    client.force_login(demo_data)
    response = client.get(reverse("governance:dashboard_export", args=["hauts-de-france-2023", fmt]))
    assert response.status_code == 200
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    else:
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["Par enjeu", "Par territoire", "Retards", "Indicateurs"]
        rows = list(workbook["Par enjeu"].iter_rows(values_only=True))
        assert len(rows) == 5 and rows[0][-1] == "% réalisé"
        rows_of_indicators = list(workbook["Indicateurs"].iter_rows(values_only=True))
        assert any(r[4] == "offers.aggregated" and r[7] == "valeur" for r in rows_of_indicators)
        if not indicators.get("companies.recruitment_events_hires").available:
            assert any(
                r[4] == "companies.recruitment_events_hires" and "Pas encore disponible" in r[7]
                for r in rows_of_indicators
            )


def pdf_text(content: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_minutes_pdf(client, demo_data):
    client.force_login(demo_data)
    meeting = Meeting.objects.get(status=Meeting.Status.HELD)
    response = client.get(reverse("governance:minutes", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    text = " ".join(pdf_text(response.content).split())
    assert "Procès-verbal" in text and "Le quorum est atteint" in text
    assert "Adopter le plan d'action formation sur les métiers en tension (exemple)" in text
    assert "Publier la carte des places ouvertes (exemple)" in text


def test_dashboard_pdf_text(client, demo_data):
    client.force_login(demo_data)
    response = client.get(reverse("governance:dashboard_export", args=["hauts-de-france-2023", "pdf"]))
    text = " ".join(pdf_text(response.content).split())
    assert "Avancement par enjeu" in text and "Actions en retard" in text and "Indicateurs" in text


def test_public_summary_is_switched_on_per_protocol(client, demo_data):
    url = reverse("governance:public_summary", args=["hauts-de-france-2023"])
    assert client.get(url).status_code == 404
    client.force_login(demo_data)
    client.post(reverse("governance:protocol_public", args=["hauts-de-france-2023"]), {"public": "1"})
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and "Avancement par enjeu" in response.content.decode()
    assert "Retards" not in response.content.decode()


def test_sheet_status_change_requires_a_reason(client, demo_data):
    client.force_login(demo_data)
    sheet = Protocol.objects.get().commitments.first().sheets.first()
    response = client.post(
        reverse("governance:sheet", args=[sheet.pk]), {"status": "abandoned", "reason": ""}
    )
    assert "Ce champ est obligatoire" in response.content.decode()
    client.post(
        reverse("governance:sheet", args=[sheet.pk]), {"status": "abandoned", "reason": "Financement retiré"}
    )
    sheet.refresh_from_db()
    assert sheet.status == "abandoned"
    assert sheet.status_changes.first().reason == "Financement retiré"


def test_manual_indicator_value_records_source_and_author(client, demo_data):
    client.force_login(demo_data)
    indicator = Protocol.objects.get().commitments.get(number=1).indicators.get(source="manual")
    client.post(
        reverse("governance:indicator", args=[indicator.pk]),
        {"v-measured_on": date.today().isoformat(), "v-value": "2800", "v-source": "Tableau Région"},
    )
    measurement = indicator.measurements.get(measured_on=date.today())
    assert measurement.entered_by == demo_data and measurement.source == "Tableau Région"


def test_agenda_document_upload_and_cancellation(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    committee = regional_committee()
    meeting = MeetingFactory(committee=committee)
    client.force_login(User.objects.create_superuser("root@example.org", "password-de-test-1"))
    client.post(reverse("governance:agenda_add", args=[meeting.pk]), {"order": 1, "title": "Bilan annuel"})
    item = meeting.agenda_items.get()
    upload = SimpleUploadedFile("bilan.pdf", b"%PDF-1.4 bilan", content_type="application/pdf")
    client.post(
        reverse("governance:document_add", args=[meeting.pk]),
        {"title": "Bilan", "agenda_item": item.pk, "file": upload},
    )
    document = meeting.documents.get()
    assert (tmp_path / document.file.name).read_bytes() == b"%PDF-1.4 bilan"
    response = client.get(reverse("governance:document", args=[document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bilan"
    outsider = advisor_of(OrganisationFactory())
    client.force_login(outsider)
    # private to the committee: its id does not exist for others
    assert client.get(reverse("governance:document", args=[document.pk])).status_code == 404
    MemberFactory(committee=committee, full_name="Membre avec compte", user=outsider)
    assert client.get(reverse("governance:document", args=[document.pk])).status_code == 200
    client.force_login(User.objects.get(email="root@example.org"))
    data = {
        "title": meeting.title,
        "starts_at": "2025-06-02T14:00",
        "ends_at": "2025-06-02T16:00",
        "location": "Lille",
        "status": "cancelled",
    }
    client.post(reverse("governance:meeting_edit", args=[meeting.pk]), data)
    ics = Calendar.from_ical(client.get(reverse("governance:ical", args=[meeting.pk])).content)
    event = ics.walk("VEVENT")[0]
    assert event["status"] == "CANCELLED" and "1. Bilan annuel" in str(event["description"])


def test_dashboard_links_the_diagnosis_action_lines(client, demo_data):
    from decimal import Decimal

    from diagnosis.models import ActionLine

    line = ActionLine.objects.create(
        title="Former 40 aides-soignants dans la Somme",
        occupation_kind="rome3",
        occupation_code="J1501",
        occupation_label="Aide-soignant",
        territory_kind="departement",
        territory_code="80",
        territory_label="Somme",
        owner=OrganisationFactory(),
        deadline=date(2027, 6, 30),
        target_indicator="training_places",
        target_value=Decimal(40),
        status="adopted",
    )
    ActionLine.objects.create(
        title="Brouillon",
        occupation_kind="rome3",
        occupation_code="J1501",
        occupation_label="Aide-soignant",
        territory_kind="departement",
        territory_code="80",
        territory_label="Somme",
        owner=OrganisationFactory(),
        deadline=date(2027, 6, 30),
        target_indicator="training_places",
        target_value=Decimal(1),
    )
    client.force_login(demo_data)
    content = client.get(reverse("governance:dashboard", args=["hauts-de-france-2023"])).content.decode()
    assert f'href="{line.get_absolute_url()}"' in content and "Brouillon" not in content


def test_api(client, demo_data):
    assert client.get("/api/v1/governance/committees").status_code == 401
    client.force_login(demo_data)
    listing = client.get("/api/v1/governance/committees?level=regional").json()
    assert listing["count"] == 1 and listing["items"][0]["level"] == "regional"
    detail = client.get(f"/api/v1/governance/committees/{listing['items'][0]['id']}").json()
    assert detail["co_presidency_problems"] == [] and detail["max_members"] == 29
    assert all("email" not in m for m in detail["members"])
    check = client.get("/api/v1/governance/configuration-check/32").json()
    assert [p["passed"] for p in check] == [True, True, True, True, True, False]
    assert client.get("/api/v1/governance/configuration-check/99").json()["error"]["code"] == "not_found"
    indicators_out = client.get("/api/v1/governance/protocols/hauts-de-france-2023/indicators").json()
    by_query = {i["query_name"]: i for i in indicators_out}
    assert by_query["governance.decisions_adopted"]["live_value"] == "1.00"
    if not indicators.get("companies.recruitment_events_hires").available:
        planned = by_query["companies.recruitment_events_hires"]
        assert planned["live_value"] is None and "Pas encore disponible" in planned["unavailable"]


def test_create_local_committee_and_co_chair_through_the_forms(client):
    from tests.factories import CommuneFactory

    departement = DepartementFactory()
    commune = CommuneFactory(departement=departement)
    client.force_login(User.objects.create_superuser("root@example.org", "password-de-test-1"))
    response = client.post(
        reverse("governance:committee_create"),
        {
            "name": "CLE du Vimeu",
            "level": "local",
            "departement": departement.pk,
            "local_scope": "communes",
            "commune_codes": f"{commune.code} 99999",
        },
    )
    assert "Codes INSEE inconnus : 99999" in response.content.decode()
    response = client.post(
        reverse("governance:committee_create"),
        {
            "name": "CLE du Vimeu",
            "level": "local",
            "departement": departement.pk,
            "local_scope": "communes",
            "commune_codes": commune.code,
        },
    )
    committee = Committee.objects.get(name="CLE du Vimeu")
    assert response.status_code == 302 and list(committee.communes.all()) == [commune]
    member = {
        "full_name": "Préfet",
        "college": "state",
        "capacity": "regional_prefect",
        "institution": "Préfecture",
        "seat": "titular",
        "chair": "state",
        "has_vote": "True",
        "mandate_start": "2025-01-01",
    }
    response = client.post(reverse("governance:member_create", args=[committee.pk]), member)
    assert (
        "préfet de département ou sous-préfet désigné par le préfet de département"
        in response.content.decode()
    )
    member["capacity"] = "department_prefect"
    response = client.post(reverse("governance:member_create", args=[committee.pk]), member)
    assert response.status_code == 302
    assert committee.members.get().mandate_end == date(2027, 12, 31)
