"""The permission matrix of docs/security.md, checked URL by URL and role by role for the job seeker record, its
aid requests, its search profile and referrals (jobseekers and matching, pages and API).

Roles: anonymous; advisor and manager of the organisation that follows the person; advisor of another
organisation; committee member of the following organisation; platform administrator (superuser, administrator
membership in the following organisation, no advisor role). A record is visible only to advisors and managers
of an organisation following the person; to everyone else its ids do not exist (404, never 403).
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, Role, User
from jobseekers.models import AidRequest, Consent, JobSeeker, Need
from matching.models import Referral
from matching.services import propose
from offers.models import Offer
from tests.factories import FicheFactory, MembershipFactory, OrganisationFactory, UserFactory, advisor_of
from tests.jobseekers.factories import AidFactory, AidRequestFactory, ConsentFactory, NeedFactory, followed_by

ROLES = ("anonymous", "advisor", "manager", "other_advisor", "committee_member", "admin")
FOLLOWERS = {"advisor", "manager"}


@dataclass
class World:
    following: Organisation
    other: Organisation
    record: JobSeeker
    stranger: JobSeeker  # followed by the other organisation only
    need: Need
    aid_request: AidRequest
    stranger_need: Need
    stranger_aid_request: AidRequest
    offer: Offer
    referral: Referral
    users: dict[str, User | None]


@pytest.fixture
def world(db) -> World:
    following = OrganisationFactory(name="France Travail Matrice")
    other = OrganisationFactory(name="Mission locale Matrice", kind=Organisation.Kind.MISSION_LOCALE)
    record = followed_by(following, first_name="Dominique", last_name="Zorglub")
    stranger = followed_by(other, first_name="Camille", last_name="Quibble")
    aid = AidFactory(id="aide-matrice", label="Aide de test (matrice)")
    need = NeedFactory(jobseeker=record)
    stranger_need = NeedFactory(jobseeker=stranger)
    ConsentFactory(jobseeker=record, scope=Consent.Scope.PROPOSE_TO_EMPLOYERS)
    admin = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=admin, organisation=following, role=Role.ADMINISTRATOR)
    users = {
        "anonymous": None,
        "advisor": advisor_of(following),
        "manager": advisor_of(following, role=Role.MANAGER),
        "other_advisor": advisor_of(other),
        "committee_member": advisor_of(following, role=Role.COMMITTEE_MEMBER),
        "admin": admin,
    }
    offer = Offer.objects.create(
        title="Aide-soignant de nuit", fiche=FicheFactory(), commune=record.commune, contract_type="CDI"
    )
    referral = propose(
        jobseeker=record,
        offer=offer,
        direction=Referral.Direction.OFFER_TO_PERSON,
        score=0.5,
        user=users["advisor"],
        organisation=following,
    )
    return World(
        following=following,
        other=other,
        record=record,
        stranger=stranger,
        need=need,
        aid_request=AidRequestFactory(jobseeker=record, aid=aid, need=need, organisation=following),
        stranger_need=stranger_need,
        stranger_aid_request=AidRequestFactory(
            jobseeker=stranger, aid=aid, need=stranger_need, organisation=other
        ),
        offer=offer,
        referral=referral,
        users=users,
    )


def client_for(world: World, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def record_pages(world: World, record: JobSeeker, need: Need, aid_request: AidRequest) -> dict[str, str]:
    pk = record.pk
    followup = record.followups.first()
    consent = record.consents.first() or ConsentFactory(jobseeker=record)
    return {
        "jobseekers:detail": reverse("jobseekers:detail", args=[pk]),
        "jobseekers:edit": reverse("jobseekers:edit", args=[pk]),
        "jobseekers:need_create": reverse("jobseekers:need_create", args=[pk]),
        "jobseekers:need": reverse("jobseekers:need", args=[pk, need.pk]),
        "jobseekers:aid_request_create": reverse("jobseekers:aid_request_create", args=[pk]),
        "jobseekers:aid_request": reverse("jobseekers:aid_request", args=[pk, aid_request.pk]),
        "jobseekers:followup_end": reverse("jobseekers:followup_end", args=[pk, followup.pk]),
        "jobseekers:consent_withdraw": reverse("jobseekers:consent_withdraw", args=[pk, consent.pk]),
        "matching:profile": reverse("matching:profile", args=[pk]),
        "matching:offers_for_person": reverse("matching:offers_for_person", args=[pk]),
    }


def record_posts(world: World, record: JobSeeker, aid_request: AidRequest) -> dict[str, tuple[str, dict]]:
    pk = record.pk
    return {
        "jobseekers:followup_add": (
            reverse("jobseekers:followup_add", args=[pk]),
            {"organisation": world.other.pk, "since": "2026-01-05"},
        ),
        "jobseekers:consent_add": (
            reverse("jobseekers:consent_add", args=[pk]),
            {"scope": Consent.Scope.SHARE_RECORD, "method": "interview", "given_on": "2026-01-05"},
        ),
        "jobseekers:aid_request_status": (
            reverse("jobseekers:aid_request_status", args=[pk, aid_request.pk]),
            {"status": "sent", "on": "2026-01-05"},
        ),
        "matching:propose": (
            reverse("matching:propose", args=[pk, world.offer.pk]),
            {"direction": Referral.Direction.PERSON_TO_EMPLOYER, "score": "0.7"},
        ),
        "matching:referral_status": (
            reverse("matching:referral_status", args=[pk, world.referral.pk]),
            {"status": Referral.Status.APPLIED, "note": ""},
        ),
    }


# --- The matrix (docs/security.md) ---------------------------------------------------------------------------


# Pages of one followed person (GET): 200 to its followers, 404 to every other logged-in role, login redirect.
def expected_record_page(role: str) -> int:
    return 302 if role == "anonymous" else 200 if role in FOLLOWERS else 404


# Changes of one followed person (POST): done (302 back to the record) for its followers, 404 for others.
def expected_record_post(role: str) -> int:
    return 302 if role == "anonymous" or role in FOLLOWERS else 404


LIST_PAGES = {
    # url name: {role: status}; anonymous always goes to the login page (302).
    "jobseekers:list": dict.fromkeys(ROLES[1:], 200),
    "jobseekers:aid_requests": dict.fromkeys(ROLES[1:], 200),
    "jobseekers:create": {
        "advisor": 200,
        "manager": 200,
        "other_advisor": 200,
        "committee_member": 403,
        "admin": 403,
    },
    "jobseekers:dashboard": {
        "advisor": 200,
        "manager": 200,
        "other_advisor": 200,
        "committee_member": 200,
        "admin": 403,
    },
    "jobseekers:dashboard_csv": {
        "advisor": 200,
        "manager": 200,
        "other_advisor": 200,
        "committee_member": 200,
        "admin": 403,
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_a_followed_person(world, role):
    client = client_for(world, role)
    pages = record_pages(world, world.record, world.need, world.aid_request)
    got = {name: client.get(url).status_code for name, url in pages.items()}
    assert got == dict.fromkeys(pages, expected_record_page(role))


@pytest.mark.parametrize("role", ROLES)
def test_changes_to_a_followed_person(world, role):
    client = client_for(world, role)
    got = {}
    for name, (url, data) in record_posts(world, world.record, world.aid_request).items():
        got[name] = client.post(url, data).status_code
    assert got == dict.fromkeys(got, expected_record_post(role))
    if role not in FOLLOWERS:  # nothing changed
        assert world.record.followups.count() == 1
        assert not Referral.objects.filter(direction=Referral.Direction.PERSON_TO_EMPLOYER).exists()
        world.aid_request.refresh_from_db()
        assert world.aid_request.status == AidRequest.Status.TO_SEND


@pytest.mark.parametrize("role", ROLES)
def test_post_only_urls_refuse_get(world, role):
    client = client_for(world, role)
    for name, (url, _data) in record_posts(world, world.record, world.aid_request).items():
        assert client.get(url).status_code == (302 if role == "anonymous" else 405), name


@pytest.mark.parametrize("role", ROLES)
def test_list_pages(world, role):
    client = client_for(world, role)
    for name, statuses in LIST_PAGES.items():
        expected = 302 if role == "anonymous" else statuses[role]
        assert client.get(reverse(name)).status_code == expected, name


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_the_people_one_follows(world, role):
    client = client_for(world, role)
    for name in ("jobseekers:list", "jobseekers:aid_requests"):
        response = client.get(reverse(name))
        if role == "anonymous":
            continue
        text = response.content.decode().lower()
        assert ("zorglub" in text) == (role in FOLLOWERS), name
        assert ("quibble" in text) == (role == "other_advisor"), name


@pytest.mark.parametrize("role", ROLES)
def test_people_for_an_offer_lists_only_the_people_one_follows(world, role):
    client = client_for(world, role)
    response = client.get(reverse("matching:people_for_offer", args=[world.offer.pk]))
    assert response.status_code == (302 if role == "anonymous" else 200)
    assert "quibble" not in response.content.decode().lower()


@pytest.mark.parametrize("role", ROLES)
def test_api(world, role):
    client = client_for(world, role)
    offers = client.get(f"/api/v1/matching/jobseekers/{world.record.pk}/offers")
    people = client.get(f"/api/v1/matching/offers/{world.offer.pk}/people")
    if role == "anonymous":
        assert (offers.status_code, people.status_code) == (401, 401)
        return
    assert offers.status_code == (200 if role in FOLLOWERS else 404)
    assert people.status_code == 200
    assert all(person["jobseeker_id"] != world.stranger.pk for person in people.json())


# --- Guessing ids -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["advisor", "manager", "committee_member", "admin"])
def test_another_organisations_person_does_not_exist_for_you(world, role):
    client = client_for(world, role)
    pages = record_pages(world, world.stranger, world.stranger_need, world.stranger_aid_request)
    assert {name: client.get(url).status_code for name, url in pages.items()} == dict.fromkeys(pages, 404)
    for name, (url, data) in record_posts(world, world.stranger, world.stranger_aid_request).items():
        assert client.post(url, data).status_code == 404, name
    assert client.get(f"/api/v1/matching/jobseekers/{world.stranger.pk}/offers").status_code == 404
    assert (
        "quibble"
        not in client.get(reverse("jobseekers:detail", args=[world.stranger.pk])).content.decode().lower()
    )


def test_a_child_of_another_person_under_your_persons_url_is_404(world):
    """A need or aid request id of someone else, put under the URL of a person you follow, does not resolve."""
    client = client_for(world, "advisor")
    pk = world.record.pk
    assert client.get(reverse("jobseekers:need", args=[pk, world.stranger_need.pk])).status_code == 404
    assert (
        client.get(reverse("jobseekers:aid_request", args=[pk, world.stranger_aid_request.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("jobseekers:aid_request_status", args=[pk, world.stranger_aid_request.pk]),
        {"status": "sent", "on": "2026-01-05"},
    )
    assert response.status_code == 404
    world.stranger_aid_request.refresh_from_db()
    assert world.stranger_aid_request.status == AidRequest.Status.TO_SEND


def test_ids_that_do_not_exist_are_404(world):
    client = client_for(world, "advisor")
    missing = JobSeeker.objects.order_by("-pk").first().pk + 1000
    for url in record_pages(world, world.record, world.need, world.aid_request).values():
        assert client.get(url.replace(f"/{world.record.pk}/", f"/{missing}/", 1)).status_code == 404, url
    assert client.get(f"/api/v1/matching/jobseekers/{missing}/offers").status_code == 404
    assert client.get(f"/api/v1/matching/offers/{world.offer.pk + 1000}/people").status_code == 404


def test_an_ended_followup_closes_the_record(world):
    world.record.followups.update(until="2025-06-30")
    client = client_for(world, "advisor")
    pages = record_pages(world, world.record, world.need, world.aid_request)
    assert {name: client.get(url).status_code for name, url in pages.items()} == dict.fromkeys(pages, 404)
