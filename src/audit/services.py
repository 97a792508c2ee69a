"""Record reads and changes of sensitive data. Call `record` from services, never from templates."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from audit.models import AuditEntry


def record(
    *,
    action: str,
    obj: models.Model,
    actor=None,
    organisation=None,
    request: HttpRequest | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    if request is not None:
        actor = actor or (request.user if request.user.is_authenticated else None)
        if organisation is None:
            from accounts.services import current_organisation

            organisation = current_organisation(request)
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_label=(actor.email if actor is not None else "système"),
        organisation=organisation,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        reason=reason[:200],
        ip_address=_client_ip(request),
    )


def diff_fields(before: models.Model | None, after: models.Model, fields: list[str]) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value differs, as JSON-safe strings."""
    changes = {}
    for name in fields:
        old = getattr(before, name, None) if before is not None else None
        new = getattr(after, name, None)
        if old != new:
            changes[name] = [None if old is None else str(old), None if new is None else str(new)]
    return changes


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
