"""Organisation-scoped permissions: what a user may do depends on the organisations they belong to and
their role in each. Later features ask "is this user an advisor of one of the organisations following X?"
through these functions instead of checking roles by hand."""

from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import Membership, Organisation, Role, User


def organisations_of(user: User, *, roles: Iterable[str] | None = None) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user, organisation__is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def has_role(user: User, *roles: str, organisation: Organisation | None = None) -> bool:
    if not user.is_authenticated:
        return False
    memberships = Membership.objects.filter(user=user, role__in=roles, organisation__is_active=True)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return memberships.exists()


def is_administrator(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.ADMINISTRATOR))


def acts_for_any(user: User, organisations: Iterable[Organisation], *, roles: Iterable[str]) -> bool:
    """True when the user holds one of `roles` in at least one of `organisations` (e.g. those following a person)."""
    ids = [org.pk for org in organisations]
    return bool(ids) and organisations_of(user, roles=roles).filter(pk__in=ids).exists()
