from django.http import HttpRequest

from accounts.models import Organisation
from accounts.permissions import organisations_of

SESSION_KEY = "current_organisation_id"


def current_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the user acts for in this session (chosen when they belong to several)."""
    if not request.user.is_authenticated:
        return None
    organisations = organisations_of(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        organisation = organisations.filter(pk=chosen).first()
        if organisation is not None:
            return organisation
    return organisations.order_by("name").first()


def choose_organisation(request: HttpRequest, *, organisation: Organisation) -> None:
    if not organisations_of(request.user).filter(pk=organisation.pk).exists():
        raise PermissionError("Vous n'êtes pas membre de cette organisation.")
    request.session[SESSION_KEY] = organisation.pk
