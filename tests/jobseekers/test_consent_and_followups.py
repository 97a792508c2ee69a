"""Consent before sharing; follow-ups of other organisations; withdrawal ends the sharing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jobseekers import services
from jobseekers.models import Consent, FollowUp
from jobseekers.selectors import visible_records
from tests.jobseekers.factories import ConsentFactory, page_text


def test_record_cannot_be_shared_without_consent(world):
    with pytest.raises(services.ConsentRequired):
        services.add_followup(
            jobseeker=world.record,
            organisation=world.other,
            user=world.advisor,
            acting_organisation=world.following,
        )
    assert not FollowUp.objects.filter(organisation=world.other).exists()
    assert not visible_records(world.other_advisor).exists()


def test_share_page_refuses_without_consent_and_says_why(client, world):
    client.force_login(world.advisor)
    response = client.post(
        reverse("jobseekers:followup_add", args=[world.record.pk]),
        {"organisation": world.other.pk, "since": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "n'a pas donné son accord au partage" in page_text(response)
    assert not visible_records(world.other_advisor).exists()


def test_consent_then_share_then_the_other_organisation_sees_the_record(client, world):
    client.force_login(world.advisor)
    client.post(
        reverse("jobseekers:consent_add", args=[world.record.pk]),
        {"scope": Consent.Scope.SHARE_RECORD, "method": Consent.Method.SIGNED_FORM, "given_on": "2026-01-05"},
    )
    consent = world.record.consents.get()
    assert consent.recorded_by == world.advisor and consent.organisation == world.following
    assert consent.given_on.isoformat() == "2026-01-05"
    client.post(
        reverse("jobseekers:followup_add", args=[world.record.pk]),
        {"organisation": world.other.pk, "since": timezone.localdate().isoformat()},
    )
    assert set(visible_records(world.other_advisor)) == {world.record}


def test_consent_cannot_be_recorded_twice_nor_in_the_future(world):
    services.record_consent(
        jobseeker=world.record,
        scope="share_record",
        method="interview",
        user=world.advisor,
        organisation=world.following,
    )
    with pytest.raises(ValidationError):
        services.record_consent(
            jobseeker=world.record,
            scope="share_record",
            method="interview",
            user=world.advisor,
            organisation=world.following,
        )
    with pytest.raises(ValidationError):
        services.record_consent(
            jobseeker=world.record,
            scope="propose_to_employers",
            method="interview",
            user=world.advisor,
            organisation=world.following,
            given_on=timezone.localdate().replace(year=2999),
        )


def test_withdrawal_ends_other_followups_and_keeps_the_history(client, world):
    consent = ConsentFactory(jobseeker=world.record)
    services.add_followup(
        jobseeker=world.record,
        organisation=world.other,
        user=world.advisor,
        acting_organisation=world.following,
    )
    assert visible_records(world.other_advisor).exists()
    client.force_login(world.advisor)
    response = client.post(
        reverse("jobseekers:consent_withdraw", args=[world.record.pk, consent.pk]), {"note": "Demande orale"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == world.advisor
    assert not visible_records(world.other_advisor).exists()
    assert visible_records(
        world.advisor
    ).exists()  # the organisation recording the withdrawal keeps following
    ended = FollowUp.objects.get(organisation=world.other)
    assert ended.until == timezone.localdate() and "consentement" in ended.end_reason
    # Sharing again needs a new consent.
    with pytest.raises(services.ConsentRequired):
        services.add_followup(
            jobseeker=world.record,
            organisation=world.other,
            user=world.advisor,
            acting_organisation=world.following,
        )


def test_an_organisation_cannot_follow_twice(world):
    ConsentFactory(jobseeker=world.record)
    with pytest.raises(ValidationError):
        services.add_followup(
            jobseeker=world.record,
            organisation=world.following,
            user=world.advisor,
            acting_organisation=world.following,
        )


def test_ending_the_last_followup_starts_the_retention_clock(world):
    followup = world.record.followups.get()
    services.end_followup(
        followup=followup, user=world.advisor, until=timezone.localdate(), reason="Emploi durable"
    )
    world.record.refresh_from_db()
    assert world.record.last_followed_at.date() == timezone.localdate()
    assert not visible_records(world.advisor).exists()


def test_end_before_start_is_refused(world):
    followup = world.record.followups.get()
    with pytest.raises(ValidationError):
        services.end_followup(followup=followup, user=world.advisor, until=followup.since.replace(year=2000))
