"""Who may do what in governance. Reading committees and the protocol is open to every signed-in partner agent;
writing is reserved to the people who run the committees."""

from accounts.models import Role
from accounts.permissions import has_role, is_administrator, organisations_of
from governance.models import ActionSheet, Committee, Member

STEERING_ROLES = (Role.COMMITTEE_MEMBER, Role.MANAGER)


def can_create_committee(user) -> bool:
    return is_administrator(user) or has_role(user, Role.COMMITTEE_MEMBER)


def can_manage_committee(user, committee: Committee) -> bool:
    """Administrators, the committee's co-chairs with an account, and the managers or committee members of the
    organisation that runs its secretariat."""
    if is_administrator(user):
        return True
    if not user.is_authenticated:
        return False
    if Member.objects.filter(committee=committee, user=user).exclude(chair="").exists():
        return True
    return committee.secretariat_id is not None and has_role(
        user, *STEERING_ROLES, organisation=committee.secretariat
    )


def can_read_documents(user, committee: Committee) -> bool:
    """Meeting documents (drafts, notes) are for the committee: its members with an account and its managers."""
    return (
        can_manage_committee(user, committee)
        or Member.objects.filter(committee=committee, user=user).exists()
    )


def can_edit_protocol(user) -> bool:
    return is_administrator(user) or has_role(user, Role.COMMITTEE_MEMBER)


def can_update_sheet(user, sheet: ActionSheet) -> bool:
    """Protocol editors, and any agent of the sheet's owner partner (they report their own progress)."""
    if can_edit_protocol(user):
        return True
    return sheet.owner_id is not None and organisations_of(user).filter(pk=sheet.owner_id).exists()
