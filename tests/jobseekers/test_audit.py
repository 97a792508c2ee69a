"""Every read and change of a record and of its aid requests is in the audit log, without personal values."""

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from jobseekers.models import AidRequest, Consent


def _entries(obj, action=None):
    entries = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return entries.filter(action=action) if action else entries


def test_opening_a_record_is_audited_with_who_and_for_which_organisation(client, world):
    client.force_login(world.advisor)
    client.get(reverse("jobseekers:detail", args=[world.record.pk]))
    entry = _entries(world.record, AuditEntry.Action.READ).get()
    assert entry.actor == world.advisor and entry.organisation == world.following
    assert entry.object_repr == f"Personne suivie n° {world.record.pk}"
    assert entry.ip_address == "127.0.0.1"


def test_listing_records_is_audited_for_each_record_shown(client, world):
    client.force_login(world.advisor)
    client.get(reverse("jobseekers:list"))
    entry = _entries(world.record, AuditEntry.Action.READ).get()
    assert entry.reason == "Liste des personnes suivies"


def test_refused_access_leaves_no_read_entry(client, world):
    client.force_login(world.other_advisor)
    client.get(reverse("jobseekers:detail", args=[world.record.pk]))
    assert not _entries(world.record).exists()


def test_changes_are_audited_with_field_names_and_masked_values(client, world):
    client.force_login(world.advisor)
    data = {
        "first_name": "Dominique",
        "last_name": "Fictif-Nouveau",
        "birth_date": "1995-06-15",
        "email": world.record.email,
        "phone": "0611111111",
        "status": "job_seeker_b",
        "has_driving_licence": "true",
        "has_vehicle": "false",
        "commune": world.record.commune_id,
    }
    response = client.post(reverse("jobseekers:edit", args=[world.record.pk]), data)
    assert response.status_code == 302
    entry = _entries(world.record, AuditEntry.Action.UPDATE).get()
    assert set(entry.changes) == {"last_name", "phone", "status"}
    assert all(values == ["(masqué)", "(masqué)"] for values in entry.changes.values())
    assert "Fictif" not in str(entry.changes)


def test_edit_form_display_is_a_read(client, world):
    client.force_login(world.manager)
    client.get(reverse("jobseekers:edit", args=[world.record.pk]))
    assert _entries(world.record, AuditEntry.Action.READ).get().actor == world.manager


def test_aid_request_read_and_status_change_are_audited(client, world):
    client.force_login(world.advisor)
    url = reverse("jobseekers:aid_request", args=[world.record.pk, world.aid_request.pk])
    client.get(url)
    assert (
        _entries(world.aid_request, AuditEntry.Action.READ).get().reason
        == f"Personne suivie n° {world.record.pk}"
    )
    client.post(
        reverse("jobseekers:aid_request_status", args=[world.record.pk, world.aid_request.pk]),
        {"status": "sent", "on": timezone.localdate().isoformat()},
    )
    entry = _entries(world.aid_request, AuditEntry.Action.UPDATE).get()
    assert entry.changes["status"] == ["to_send", "sent"]
    assert entry.changes["sent_on"] == [None, timezone.localdate().isoformat()]


def test_consent_and_followup_changes_are_audited_on_the_record(client, world):
    client.force_login(world.advisor)
    client.post(
        reverse("jobseekers:consent_add", args=[world.record.pk]),
        {
            "scope": Consent.Scope.SHARE_RECORD,
            "method": "signed_form",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    client.post(
        reverse("jobseekers:followup_add", args=[world.record.pk]),
        {"organisation": world.other.pk, "since": timezone.localdate().isoformat()},
    )
    reasons = list(
        _entries(world.record, AuditEntry.Action.UPDATE).order_by("at").values_list("reason", flat=True)
    )
    assert reasons == ["Consentement enregistré", "Suivi ajouté (dossier partagé)"]


def test_creating_a_record_and_an_aid_request_are_audited(client, world, fake_engine):
    client.force_login(world.advisor)
    client.post(
        reverse("jobseekers:create"),
        {"first_name": "Camille", "last_name": "Essai", "status": "job_seeker_a"},
    )
    from jobseekers.models import JobSeeker

    created = JobSeeker.objects.get(last_name="Essai")
    assert _entries(created, AuditEntry.Action.CREATE).get().actor == world.advisor
    client.post(
        reverse("jobseekers:aid_request_create", args=[created.pk]),
        {
            "aid": world.aid.pk,
            "amount_requested": "50",
            "consent": "on",
            "consent_method": "interview",
            "consent_given_on": timezone.localdate().isoformat(),
        },
    )
    aid_request = AidRequest.objects.get(jobseeker=created)
    assert _entries(aid_request, AuditEntry.Action.CREATE).get().changes["aid_id"] == [None, world.aid.pk]
