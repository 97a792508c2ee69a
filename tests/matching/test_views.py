import pytest
from django.urls import reverse

from audit.models import AuditEntry
from jobseekers.models import Consent
from matching.models import Referral, ReferralEvent, SearchProfile
from offers.models import Offer
from tests.factories import (
    AppellationFactory,
    CommuneFactory,
    DomaineProfessionnelFactory,
    FicheFactory,
    OrganisationFactory,
    advisor_of,
)
from tests.jobseekers.factories import ConsentFactory, followed_by


@pytest.fixture
def world(db):
    amiens = CommuneFactory(
        code="80021", name="Amiens", latitude=49.89389, longitude=2.30250, population=133_000
    )
    abbeville = CommuneFactory(
        code="80001", name="Abbeville", latitude=50.10583, longitude=1.83500, population=22_000
    )
    aide_soignant = FicheFactory(code="J1501", label="Aide-soignant / Aide-soignante")
    systems = DomaineProfessionnelFactory(code="M18", label="Systèmes d'information", grand_domaine__code="M")
    developer = FicheFactory(code="M1805", label="Développeur", parent_code="M1805", domaine=systems)
    AppellationFactory(code_ogr=11573, label="Aide-soignant / Aide-soignante", fiche=aide_soignant)
    following = OrganisationFactory(name="France Travail Amiens Nord")
    record = followed_by(following, first_name="Dominique", last_name="Fictif", commune=amiens)
    ConsentFactory(jobseeker=record, scope=Consent.Scope.PROPOSE_TO_EMPLOYERS)
    near = Offer.objects.create(
        title="Aide-soignant de nuit H/F", fiche=aide_soignant, commune=amiens, contract_type="CDI"
    )
    far = Offer.objects.create(
        title="Aide-soignante EHPAD", fiche=aide_soignant, commune=abbeville, contract_type="CDD"
    )
    other = Offer.objects.create(
        title="Développeur Python", fiche=developer, commune=amiens, contract_type="CDI"
    )
    return {
        "record": record,
        "advisor": advisor_of(following),
        "outsider": advisor_of(OrganisationFactory(name="Autre organisation")),
        "near": near,
        "far": far,
        "other": other,
    }


def save_profile(client, record, **extra):
    data = {
        "appellation_1_text": "aide soignant",
        "experience": "some",
        "uses_public_transport": "on",
        "walks": "on",
        "max_commute_minutes": "45",
        **extra,
    }
    return client.post(reverse("matching:profile", args=[record.pk]), data)


def test_advisor_describes_the_project_without_javascript_and_it_is_audited(client, world):
    record = world["record"]
    client.force_login(world["advisor"])
    response = save_profile(client, record)
    assert response.status_code == 302, response.context["form"].errors
    profile = SearchProfile.objects.get(jobseeker=record)
    assert [a.code_ogr for a in profile.appellations.all()] == [11573]
    entry = AuditEntry.objects.filter(object_id=str(record.pk), action=AuditEntry.Action.CREATE).latest("at")
    assert entry.reason == "projet de recherche d'emploi" and "appellations" in entry.changes


def test_offers_for_a_person_are_those_in_reach_and_in_the_occupation(client, world):
    client.force_login(world["advisor"])
    save_profile(client, world["record"])
    response = client.get(reverse("matching:offers_for_person", args=[world["record"].pk]))
    offers = [result.offer for result, _aids in response.context["results"]]
    assert offers == [
        world["near"]
    ]  # Abbeville is too far by public transport; the developer job is not wanted
    assert "Même métier que celui recherché" in response.content.decode()


def test_unreachable_offers_show_what_would_make_them_reachable(client, world):
    client.force_login(world["advisor"])
    save_profile(client, world["record"])
    response = client.get(
        reverse("matching:offers_for_person", args=[world["record"].pk]), {"include_unreachable": "on"}
    )
    by_offer = {result.offer: result.match for result, _aids in response.context["results"]}
    assert set(by_offer) == {world["near"], world["far"]}
    assert not by_offer[world["far"]].reachable
    assert by_offer[world["far"]].levers  # e.g. a vehicle, since the person has a licence


def test_other_organisations_cannot_see_the_matches(client, world):
    client.force_login(world["outsider"])
    assert client.get(reverse("matching:offers_for_person", args=[world["record"].pk])).status_code == 404
    assert client.get(reverse("matching:profile", args=[world["record"].pk])).status_code == 404
    response = client.get(reverse("matching:people_for_offer", args=[world["near"].pk]))
    assert response.context["people"] == []


def test_referral_lifecycle(client, world):
    record, offer = world["record"], world["near"]
    client.force_login(world["advisor"])
    client.post(reverse("matching:propose", args=[record.pk, offer.pk]), {"direction": "offer_to_person"})
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.PROPOSED
    url = reverse("matching:referral_status", args=[record.pk, referral.pk])
    client.post(url, {"status": "declined", "note": ""})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PROPOSED  # a reason is required to close it
    client.post(url, {"status": "interview"})
    client.post(url, {"status": "hired"})
    assert list(ReferralEvent.objects.values_list("status", flat=True)) == ["proposed", "interview", "hired"]
    assert (
        AuditEntry.objects.filter(object_id=str(record.pk), changes__has_key="referral_status").count() == 2
    )


def test_people_for_an_offer_lists_consenting_people_followed_by_the_advisor(client, world):
    client.force_login(world["advisor"])
    save_profile(client, world["record"])
    response = client.get(reverse("matching:people_for_offer", args=[world["near"].pk]))
    assert [p["record"] for p in response.context["people"]] == [world["record"]]
    Consent.objects.filter(scope=Consent.Scope.PROPOSE_TO_EMPLOYERS).update(withdrawn_at="2026-01-01T00:00Z")
    response = client.get(reverse("matching:people_for_offer", args=[world["near"].pk]))
    assert response.context["people"] == []


def test_filters_and_sort_like_the_offer_search(client, world):
    client.force_login(world["advisor"])
    save_profile(client, world["record"])
    url = reverse("matching:offers_for_person", args=[world["record"].pk])
    found = lambda **params: [r.offer for r, _aids in client.get(url, params).context["results"]]  # noqa: E731
    assert found(include_unreachable="on", contract_type="CDD") == [world["far"]]
    assert found(include_unreachable="on", sort="time")[0] == world["near"]
    Offer.objects.filter(pk=world["near"].pk).update(departement_code="80")
    assert found(include_unreachable="on", departement_code="80") == [world["near"]]
    response = client.get(
        f"/api/v1/matching/jobseekers/{world['record'].pk}/offers",
        {"include_unreachable": True, "sort": "time"},
    )
    assert [item["offer_id"] for item in response.json()] == [world["near"].pk, world["far"].pk]
