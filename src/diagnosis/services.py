"""Writes of the diagnosis: joint action lines (drafted from a gap, then followed through their statuses)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role, User
from accounts.permissions import has_role, is_administrator, organisations_of
from diagnosis.models import ActionLine

DRAFTING_ROLES = (Role.COMMITTEE_MEMBER, Role.MANAGER, Role.ADMINISTRATOR)

# Which status may follow which: adoption belongs to the committees (governance app), any step may be abandoned.
TRANSITIONS = {
    ActionLine.Status.DRAFT: {ActionLine.Status.PROPOSED, ActionLine.Status.ABANDONED},
    ActionLine.Status.PROPOSED: {
        ActionLine.Status.DRAFT,
        ActionLine.Status.ADOPTED,
        ActionLine.Status.ABANDONED,
    },
    ActionLine.Status.ADOPTED: {ActionLine.Status.IN_PROGRESS, ActionLine.Status.ABANDONED},
    ActionLine.Status.IN_PROGRESS: {ActionLine.Status.DONE, ActionLine.Status.ABANDONED},
    ActionLine.Status.DONE: set(),
    ActionLine.Status.ABANDONED: {ActionLine.Status.DRAFT},
}


def can_draft(user: User) -> bool:
    return is_administrator(user) or has_role(user, *DRAFTING_ROLES)


def can_edit(user: User, action: ActionLine) -> bool:
    """Administrators, and committee members or managers of the owner organisation."""
    if is_administrator(user):
        return True
    return organisations_of(user, roles=DRAFTING_ROLES).filter(pk=action.owner_id).exists()


def create_action_line(*, user: User, partners=(), **fields) -> ActionLine:
    if not can_draft(user):
        raise PermissionDenied(
            "Seuls les membres de comité, responsables et administrateurs rédigent des actions."
        )
    owner = fields["owner"]
    if (
        not is_administrator(user)
        and not organisations_of(user, roles=DRAFTING_ROLES).filter(pk=owner.pk).exists()
    ):
        raise PermissionDenied("Le pilote doit être une organisation pour laquelle vous agissez.")
    with transaction.atomic():
        action = ActionLine(created_by=user, status=ActionLine.Status.DRAFT, **fields)
        action._change_reason = "Rédaction à partir du diagnostic"
        action.save()
        action.partners.set(partners)
    return action


def update_action_line(*, user: User, action: ActionLine, partners=None, **fields) -> ActionLine:
    if not can_edit(user, action):
        raise PermissionDenied("Vous ne pouvez pas modifier cette action.")
    for name, value in fields.items():
        setattr(action, name, value)
    with transaction.atomic():
        action._change_reason = "Modification"
        action.save()
        if partners is not None:
            action.partners.set(partners)
    return action


def allowed_statuses(action: ActionLine) -> list[str]:
    return sorted(TRANSITIONS[ActionLine.Status(action.status)])


def change_status(*, user: User, action: ActionLine, status: str, reason: str = "") -> ActionLine:
    """Move an action line to `status` when the transition is allowed; the history keeps who, when and why."""
    if not can_edit(user, action):
        raise PermissionDenied("Vous ne pouvez pas changer le statut de cette action.")
    if status not in TRANSITIONS[ActionLine.Status(action.status)]:
        raise ValidationError(
            f"Passage de « {action.get_status_display()} » à « {ActionLine.Status(status).label} » impossible."
        )
    action.status = status
    action._change_reason = reason or f"Statut : {ActionLine.Status(status).label}"
    action.save(update_fields=["status", "updated_at"])
    return action
