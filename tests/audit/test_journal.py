import csv
import io

import pytest

from accounts.models import Role
from audit.models import AuditEntry
from territories.models import Region
from tests.factories import OrganisationFactory, UserFactory, advisor_of


@pytest.fixture
def journal(db):
    organisation = OrganisationFactory(name="Région")
    dpo = advisor_of(organisation, role=Role.DATA_PROTECTION_OFFICER)
    region = Region.objects.create(code="32", name="Hauts-de-France")
    for action in (AuditEntry.Action.READ, AuditEntry.Action.UPDATE):
        AuditEntry.objects.create(
            action=action,
            actor_label="camille@example.org",
            object_type="territories.region",
            object_id="32",
            object_repr=str(region),
        )
    return {
        "dpo": dpo,
        "advisor": advisor_of(organisation),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def test_only_the_data_protection_officer_reviews_the_journal(client, journal):
    for user in (journal["advisor"], journal["admin"]):
        client.force_login(user)
        assert client.get("/journal/").status_code == 404
        assert client.get("/journal/export.csv").status_code == 404
    client.logout()
    assert client.get("/journal/").status_code == 302
    client.force_login(journal["dpo"])
    response = client.get("/journal/", {"action": "update"})
    assert response.status_code == 200 and response.context["count"] == 1


def test_export_is_filtered_and_itself_recorded(client, journal):
    client.force_login(journal["dpo"])
    response = client.get("/journal/export.csv", {"actor": "camille"})
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:4] == ["at", "actor_label", "organisation", "action"]
    assert len(rows) == 3
    export = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert export.actor == journal["dpo"] and "2 entrées" in export.reason


def test_uploads_over_the_limit_are_refused_with_both_sizes(settings):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.validators import validate_upload_size

    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    validate_upload_size(SimpleUploadedFile("ok.json", b"x" * 1000))
    with pytest.raises(ValidationError, match="2.0 Mo, au-delà de la limite de 1 Mo"):
        validate_upload_size(SimpleUploadedFile("big.json", b"x" * (2 * 1024 * 1024)))
