"""The advisor's workflow through the pages: create a record, describe a need, simulate, request, track."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from aids.situations import Allowance, ContractType, Household, NeedKind, Status
from jobseekers.models import AidRequest, JobSeeker
from jobseekers.simulation import build_situation
from tests.factories import CommuneFactory, OrganisationFactory
from tests.jobseekers.factories import (
    AidFactory,
    AidRequestFactory,
    FollowUpFactory,
    JobSeekerFactory,
    NeedFactory,
    page_text,
)

TODAY = timezone.localdate


def test_create_a_record_with_consent_the_creating_organisation_follows(client, world):
    client.force_login(world.advisor)
    commune = world.record.commune
    response = client.post(
        reverse("jobseekers:create"),
        {
            "first_name": "Sacha",
            "last_name": "Nouveau",
            "birth_date": "2001-02-03",
            "commune": commune.pk,
            "status": "job_seeker_a",
            "children_birth_dates": "12/03/2018, 05/09/2021",
            "lives_alone": "true",
            "share_consent": "on",
            "consent_method": "signed_form",
        },
    )
    record = JobSeeker.objects.get(last_name="Nouveau")
    assert response["Location"] == record.get_absolute_url()
    followup = record.followups.get()
    assert (followup.organisation, followup.referent, followup.until) == (
        world.following,
        world.advisor,
        None,
    )
    assert record.children_birth_dates == ["2018-03-12", "2021-09-05"] and record.lives_alone is True
    assert record.consents.get().scope == "share_record"
    page = page_text(client.get(record.get_absolute_url()))
    assert "Sacha Nouveau" in page and "Partager le dossier avec une autre organisation" in page


def test_create_refuses_bad_input_with_clear_messages(client, world):
    client.force_login(world.advisor)
    response = client.post(
        reverse("jobseekers:create"),
        {
            "first_name": "",
            "last_name": "X",
            "status": "job_seeker_a",
            "children_birth_dates": "31/02/2020",
            "birth_date": "2999-01-01",
            "share_consent": "on",
        },
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "« 31/02/2020 » n'est pas une date au format JJ/MM/AAAA." in page
    assert "La date de naissance ne peut pas être dans le futur." in page
    assert "Indiquez comment la personne a donné son accord." in page
    assert not JobSeeker.objects.filter(last_name="X").exists()


def test_committee_member_cannot_create_records(client, world):
    client.force_login(world.committee_member)
    assert client.get(reverse("jobseekers:create")).status_code == 403


def test_simulation_request_and_status_up_to_granted(client, world, fake_engine):
    mobility = world.aid
    childcare = AidFactory(label="Aide à la garde (test)")
    excluded = AidFactory(label="Aide exclue (test)")
    calls = fake_engine([mobility, childcare, excluded], amount=62.5)
    client.force_login(world.advisor)
    place = CommuneFactory(code="80001", name="Abbeville")
    response = client.post(
        reverse("jobseekers:need_create", args=[world.record.pk]),
        {
            "kind": "job_start",
            "place_commune": place.pk,
            "start_date": TODAY().isoformat(),
            "contract_type": "cdd",
            "contract_months": "6",
            "weekly_hours": "35",
        },
    )
    need = world.record.needs.latest("pk")
    assert response["Location"] == reverse("jobseekers:need", args=[world.record.pk, need.pk])
    [situation] = calls
    assert (
        situation.need.place_commune == "80001"
        and situation.person.residence_commune == world.record.commune_id
    )
    page = page_text(client.get(response["Location"]))
    assert "Aide à la mobilité (test)" in page and "Montant estimé : 62,50 €" in page
    assert "La personne a-t-elle un véhicule ?" in page
    request_url = reverse("jobseekers:aid_request_create", args=[world.record.pk])
    form_page = page_text(client.get(request_url, {"projet": need.pk, "aide": mobility.pk}))
    assert 'value="62.50"' in form_page and "Relevé d'identité bancaire" in form_page
    response = client.post(
        f"{request_url}?projet={need.pk}",
        {
            "projet": need.pk,
            "aid": mobility.pk,
            "amount_requested": "62.50",
            "consent": "on",
            "consent_method": "interview",
            "consent_given_on": TODAY().isoformat(),
        },
    )
    aid_request = AidRequest.objects.filter(need=need).get()
    assert response["Location"] == aid_request.get_absolute_url()
    assert aid_request.estimated_amount == Decimal("62.50") and aid_request.eligibility == "eligible"
    assert aid_request.bassin_id == world.record.commune.bassin_id
    assert [d["label"] for d in aid_request.documents] == mobility.documents
    status_url = reverse("jobseekers:aid_request_status", args=[world.record.pk, aid_request.pk])
    client.post(status_url, {"status": "sent", "on": TODAY().isoformat()})
    response = client.post(status_url, {"status": "granted", "on": TODAY().isoformat(), "amount_granted": ""})
    assert "Indiquez le montant accordé." in page_text(response)
    client.post(status_url, {"status": "granted", "on": TODAY().isoformat(), "amount_granted": "60"})
    aid_request.refresh_from_db()
    assert (aid_request.status, aid_request.amount_granted, aid_request.decided_on) == (
        "granted",
        60,
        TODAY(),
    )
    assert [e.status for e in aid_request.events.all()] == ["to_send", "sent", "granted"]
    assert all(e.by == world.advisor for e in aid_request.events.all())
    record_page = page_text(client.get(world.record.get_absolute_url()))
    assert f"Déjà accordé en {TODAY().year}" in record_page and "<td>60,00 €</td>" in record_page


def test_documents_checklist_is_saved(client, world):
    world.aid_request.documents = [
        {"label": "RIB", "provided": False},
        {"label": "Contrat", "provided": False},
    ]
    world.aid_request.save()
    client.force_login(world.advisor)
    url = reverse("jobseekers:aid_request", args=[world.record.pk, world.aid_request.pk])
    client.post(url, {"doc_1": "on", "notes": "Contrat reçu", "amount_requested": "80.50"})
    world.aid_request.refresh_from_db()
    assert world.aid_request.documents == [
        {"label": "RIB", "provided": False},
        {"label": "Contrat", "provided": True},
    ]
    assert world.aid_request.notes == "Contrat reçu" and world.aid_request.amount_requested == Decimal(
        "80.50"
    )
    # Once sent, the amount asked no longer changes.
    AidRequest.objects.filter(pk=world.aid_request.pk).update(status="sent")
    client.post(url, {"doc_0": "on", "doc_1": "on", "notes": "RIB reçu", "amount_requested": "999"})
    world.aid_request.refresh_from_db()
    assert world.aid_request.amount_requested == Decimal("80.50") and world.aid_request.notes == "RIB reçu"
    assert all(document["provided"] for document in world.aid_request.documents)


def test_a_status_cannot_jump(client, world):
    client.force_login(world.advisor)
    url = reverse("jobseekers:aid_request_status", args=[world.record.pk, world.aid_request.pk])
    response = client.post(url, {"status": "paid", "on": TODAY().isoformat()})
    assert response.status_code == 200
    world.aid_request.refresh_from_db()
    assert world.aid_request.status == "to_send"


def test_result_page_warns_about_what_was_already_granted(client, world, fake_engine):
    world.aid.non_cumulable_with = []
    world.aid.save()
    one_off = AidFactory(label="Permis (test)")
    AidRequestFactory(
        jobseeker=world.record,
        aid=one_off,
        status="granted",
        amount_granted=1000,
        decided_on=date(2025, 5, 2),
    )
    fake_engine([one_off])
    need = NeedFactory(jobseeker=world.record)
    client.force_login(world.advisor)
    client.post(reverse("jobseekers:need", args=[world.record.pk, need.pk]))  # run again
    page = page_text(client.get(reverse("jobseekers:need", args=[world.record.pk, need.pk])))
    assert "aide ponctuelle déjà accordée à la personne le 02/05/2025" in page


def test_build_situation_maps_the_record_and_the_need(db):
    record = JobSeekerFactory(
        birth_date=date(2000, 1, 31),
        status="job_seeker_b",
        allowance="are",
        allowance_daily_amount=Decimal("31.50"),
        lives_alone=True,
        children_birth_dates=["2020-06-01"],
        household_monthly_income=Decimal("1400"),
        has_driving_licence=False,
        has_vehicle=None,
    )
    need = NeedFactory(jobseeker=record, monthly_salary=Decimal("1800"), contract_type="ctt", round_trips=3)
    situation = build_situation(record, need, on=date(2026, 6, 1))
    person = situation.person
    assert (person.status, person.job_seeker_category, person.allowance) == (
        Status.JOB_SEEKER,
        2,
        Allowance.ARE,
    )
    assert person.age_on(date(2026, 6, 1)) == 26 and person.children_ages == [6]
    assert person.household == Household.SINGLE and person.allowance_daily_amount == 31.5
    assert person.driving_licence is False and person.vehicle is None and person.monthly_income == 1800.0
    assert person.residence_commune == record.commune_id and person.mission_locale_follow_up is False
    assert situation.need.kind == NeedKind.JOB_START and situation.need.contract_type == ContractType.CTT
    assert situation.need.place_commune == need.place_commune_id
    assert situation.need.round_trips == 3 and situation.evaluation_date == date(2026, 6, 1)


def test_mission_locale_follow_up_is_told_to_the_engine(world):
    FollowUpFactory(
        jobseeker=world.record, organisation=OrganisationFactory(name="ML", kind="mission_locale")
    )
    situation = build_situation(world.record, world.need)
    assert situation.person.mission_locale_follow_up is True


def test_a_need_from_an_offer_of_the_pool_takes_its_place_and_contract(client, world, fake_engine):
    from offers.models import Offer

    place = CommuneFactory(code="80500", name="Lieu de l'offre")
    offer = Offer.objects.create(
        title="Agent de production (test)",
        commune=place,
        contract_type="INTERIM",
        contract_duration_months=4,
        weekly_hours=35,
    )
    calls = fake_engine([world.aid])
    client.force_login(world.advisor)
    url = reverse("jobseekers:need_create", args=[world.record.pk])
    assert f'value="{offer.pk}"' in page_text(client.get(url, {"offre": offer.pk}))
    response = client.post(url, {"kind": "job_start", "offer": offer.pk, "start_date": TODAY().isoformat()})
    need = world.record.needs.latest("pk")
    assert response["Location"] == reverse("jobseekers:need", args=[world.record.pk, need.pk])
    assert (need.place_commune_id, need.contract_type, need.contract_months, need.weekly_hours) == (
        "80500",
        "ctt",
        Decimal("4.0"),
        Decimal("35.0"),
    )
    assert calls[-1].need.offer_id == str(offer.pk) and calls[-1].need.place_commune == "80500"
    assert "Agent de production (test)" in page_text(client.get(response["Location"]))


def test_a_need_without_commune_nor_offer_is_refused(client, world):
    client.force_login(world.advisor)
    response = client.post(
        reverse("jobseekers:need_create", args=[world.record.pk]),
        {"kind": "interview", "offer": "999999", "start_date": TODAY().isoformat()},
    )
    page = page_text(response)
    assert "Aucune offre du vivier ne porte ce numéro." in page
    assert not world.record.needs.exclude(pk=world.need.pk).exists()
