import pytest
from django.test import RequestFactory

from audit.models import AuditEntry
from audit.services import diff_fields, record
from territories.models import Region
from tests.factories import OrganisationFactory, advisor_of


@pytest.mark.django_db
def test_record_keeps_actor_organisation_object_and_changes():
    organisation = OrganisationFactory(name="Mission locale")
    user = advisor_of(organisation)
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    request.session = {}
    before = Region(code="32", name="Nord-Pas-de-Calais-Picardie")
    after = Region(code="32", name="Hauts-de-France")
    after.save()

    entry = record(
        action=AuditEntry.Action.UPDATE,
        obj=after,
        request=request,
        changes=diff_fields(before, after, ["code", "name"]),
    )

    entry.refresh_from_db()
    assert entry.actor == user and entry.actor_label == user.email
    assert entry.organisation == organisation
    assert (entry.object_type, entry.object_id) == ("territories.region", "32")
    assert entry.changes == {"name": ["Nord-Pas-de-Calais-Picardie", "Hauts-de-France"]}
    assert entry.ip_address == "10.1.2.3"


@pytest.mark.django_db
def test_record_without_request_is_attributed_to_the_system():
    region = Region.objects.create(code="32", name="Hauts-de-France")
    entry = record(action=AuditEntry.Action.ANONYMISE, obj=region, reason="retention")
    assert entry.actor is None and entry.actor_label == "système"
