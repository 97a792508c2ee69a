from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role, User
from accounts.permissions import has_role
from audit.models import AuditEntry


def may_review(user: User) -> bool:
    """Only data protection officers review the journal (administrators do not read it through the app)."""
    return has_role(user, Role.DATA_PROTECTION_OFFICER)


def entries(
    *,
    start: date | None = None,
    end: date | None = None,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
) -> QuerySet[AuditEntry]:
    found = AuditEntry.objects.select_related("organisation")
    if start:
        found = found.filter(at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        found = found.filter(at__lte=timezone.make_aware(datetime.combine(end, time.max)))
    if actor:
        found = found.filter(actor_label__icontains=actor)
    if action:
        found = found.filter(action=action)
    if object_type:
        found = found.filter(object_type=object_type)
    if object_id:
        found = found.filter(object_id=object_id)
    return found.order_by("-at", "-pk")
