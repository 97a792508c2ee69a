"""Who sees what: the record and aid-request pages for every role (exhaustive), 404 never 403 for records."""

import pytest
from django.urls import reverse

from jobseekers.models import AidRequest, Consent, JobSeeker
from jobseekers.selectors import visible_records
from tests.factories import advisor_of
from tests.jobseekers.factories import ConsentFactory, FollowUpFactory, followed_by, page_text

ALLOWED = ("advisor", "manager")
DENIED = ("other_advisor", "committee_member", "staff", "no_role")


def _get_urls(world):
    record = world.record
    followup = record.followups.get()
    consent = ConsentFactory(jobseeker=record)
    return {
        "detail": reverse("jobseekers:detail", args=[record.pk]),
        "edit": reverse("jobseekers:edit", args=[record.pk]),
        "need_create": reverse("jobseekers:need_create", args=[record.pk]),
        "need": reverse("jobseekers:need", args=[record.pk, world.need.pk]),
        "aid_request_create": reverse("jobseekers:aid_request_create", args=[record.pk]),
        "aid_request": reverse("jobseekers:aid_request", args=[record.pk, world.aid_request.pk]),
        "followup_end": reverse("jobseekers:followup_end", args=[record.pk, followup.pk]),
        "consent_withdraw": reverse("jobseekers:consent_withdraw", args=[record.pk, consent.pk]),
    }


def _post_requests(world):
    record = world.record
    return {
        "followup_add": (
            reverse("jobseekers:followup_add", args=[record.pk]),
            {"organisation": world.other.pk, "since": "2026-01-05"},
        ),
        "consent_add": (
            reverse("jobseekers:consent_add", args=[record.pk]),
            {"scope": Consent.Scope.PROPOSE_TO_EMPLOYERS, "method": "interview", "given_on": "2026-01-05"},
        ),
        "aid_request_status": (
            reverse("jobseekers:aid_request_status", args=[record.pk, world.aid_request.pk]),
            {"status": "sent", "on": "2026-01-05"},
        ),
        "edit": (
            reverse("jobseekers:edit", args=[record.pk]),
            {"first_name": "Pirate", "last_name": "Pirate"},
        ),
    }


@pytest.mark.parametrize("role", ALLOWED)
def test_advisors_and_managers_of_the_following_organisation_open_every_page(client, world, role):
    client.force_login(getattr(world, role))
    urls = _get_urls(world)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
    assert "Dominique" in page_text(client.get(urls["detail"]))


@pytest.mark.parametrize("role", DENIED)
def test_everybody_else_gets_404_on_every_page_and_change(client, world, role):
    client.force_login(getattr(world, role))
    for name, url in _get_urls(world).items():
        assert client.get(url).status_code == 404, name
    for name, (url, data) in _post_requests(world).items():
        assert client.post(url, data).status_code == 404, name
    world.record.refresh_from_db()
    assert world.record.first_name == "Dominique"
    assert world.record.followups.count() == 1
    assert AidRequest.objects.get().status == AidRequest.Status.TO_SEND


def test_anonymous_is_sent_to_login_everywhere(client, world):
    for url in [*_get_urls(world).values(), reverse("jobseekers:list"), reverse("jobseekers:dashboard")]:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], url
    for url, data in _post_requests(world).values():
        assert client.post(url, data).status_code == 302


@pytest.mark.parametrize("role", ALLOWED)
def test_allowed_roles_may_change(client, world, role):
    client.force_login(getattr(world, role))
    url, data = _post_requests(world)["aid_request_status"]
    assert client.post(url, data).status_code == 302
    assert AidRequest.objects.get().status == AidRequest.Status.SENT


def test_guessing_ids_gives_404_like_a_missing_record(client, world):
    client.force_login(world.other_advisor)
    own = followed_by(world.other)
    assert client.get(reverse("jobseekers:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("jobseekers:detail", args=[world.record.pk])).status_code == 404
    assert client.get(reverse("jobseekers:detail", args=[999_999])).status_code == 404
    # An aid request of another person, reached through one's own record, is not found either.
    url = reverse("jobseekers:aid_request", args=[own.pk, world.aid_request.pk])
    assert client.get(url).status_code == 404
    url = reverse("jobseekers:need", args=[own.pk, world.need.pk])
    assert client.get(url).status_code == 404
    url = reverse("jobseekers:aid_request_create", args=[own.pk])
    assert client.get(url, {"projet": world.need.pk}).status_code == 404


def test_list_shows_only_records_followed_today_by_my_organisations(client, world):
    other_record = followed_by(world.other, last_name="Autre")
    ended = followed_by(world.following, last_name="Ancien")
    ended.followups.update(until="2025-06-30")
    client.force_login(world.advisor)
    page = page_text(client.get(reverse("jobseekers:list")))
    assert "FICTIF" in page
    assert "AUTRE" not in page and "ANCIEN" not in page
    assert set(visible_records(world.advisor)) == {world.record}
    assert set(visible_records(world.other_advisor)) == {other_record}
    for role in ("committee_member", "staff", "no_role"):
        assert not visible_records(getattr(world, role)).exists()


def test_future_followup_and_anonymised_record_are_not_visible(world):
    future = followed_by(world.other)
    future.followups.update(since="2999-01-01")
    assert not visible_records(world.other_advisor).exists()
    JobSeeker.objects.filter(pk=world.record.pk).update(anonymised_at="2026-01-01T00:00Z")
    assert not visible_records(world.advisor).exists()


def test_list_search_by_name(client, world):
    followed_by(world.following, first_name="Zoé", last_name="Exemple-Démo")
    client.force_login(world.advisor)
    page = page_text(client.get(reverse("jobseekers:list"), {"q": "exemple demo"}))
    assert "EXEMPLE-DÉMO" in page and "FICTIF" not in page
    page = page_text(client.get(reverse("jobseekers:list"), {"q": "zoe"}))
    assert "EXEMPLE-DÉMO" in page


def test_list_is_paginated(client, world):
    for index in range(25):
        followed_by(world.following, last_name=f"Pagine{index:02d}")
    client.force_login(world.advisor)
    first = page_text(client.get(reverse("jobseekers:list")))
    second = page_text(client.get(reverse("jobseekers:list"), {"page": 2}))
    assert "26 personnes suivies" in first
    assert "FICTIF" in first and "PAGINE18" in first and "PAGINE19" not in first
    assert "PAGINE19" in second and "PAGINE24" in second and "FICTIF" not in second
    assert "2 / 2" in second


def test_only_the_organisation_concerned_ends_its_followup(client, world):
    ConsentFactory(jobseeker=world.record)
    FollowUpFactory(jobseeker=world.record, organisation=world.other)
    theirs = world.record.followups.get(organisation=world.other)
    client.force_login(world.advisor)
    url = reverse("jobseekers:followup_end", args=[world.record.pk, theirs.pk])
    assert client.post(url, {"until": "2026-01-05"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.until is None


def test_advisor_of_two_organisations_sees_records_of_both(world):
    both = advisor_of(world.following)
    from tests.factories import MembershipFactory

    MembershipFactory(user=both, organisation=world.other)
    other_record = followed_by(world.other)
    assert set(visible_records(both)) == {world.record, other_record}


def test_aid_request_list_shows_only_requests_of_visible_records_and_is_audited(client, world):
    from audit.models import AuditEntry
    from tests.jobseekers.factories import AidRequestFactory

    theirs = AidRequestFactory(jobseeker=followed_by(world.other, last_name="Ailleurs"), status="sent")
    client.force_login(world.advisor)
    page = page_text(client.get(reverse("jobseekers:aid_requests")))
    assert "Dominique Fictif" in page and "Ailleurs" not in page
    entry = AuditEntry.objects.get(object_type="jobseekers.aidrequest", object_id=str(world.aid_request.pk))
    assert entry.reason.startswith("Liste des demandes d'aide")
    assert "Dominique Fictif" not in page_text(
        client.get(reverse("jobseekers:aid_requests"), {"status": "sent"})
    )
    client.force_login(world.other_advisor)
    page = page_text(client.get(reverse("jobseekers:aid_requests"), {"status": "sent"}))
    assert "Ailleurs" in page and "Dominique" not in page
    assert not AuditEntry.objects.filter(object_id=str(theirs.pk), actor=world.advisor).exists()
    for role in ("committee_member", "staff", "no_role"):
        client.force_login(getattr(world, role))
        assert "Aucune demande d'aide" in page_text(client.get(reverse("jobseekers:aid_requests")))
