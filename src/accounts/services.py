from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from accounts import proconnect
from accounts.models import Organisation, User
from accounts.permissions import organisations_of
from audit.models import AuditEntry
from audit.services import record

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


@dataclass(frozen=True)
class ProConnectAccount:
    user: User
    created: bool
    organisation_by_siret: Organisation | None


def proconnect_account(
    *, identity: proconnect.Identity, request: HttpRequest | None = None
) -> ProConnectAccount:
    """The account an agent coming from ProConnect logs into (see docs/security.md, "ProConnect").

    - Known `sub`: that account. Otherwise the active account with the same e-mail address, which records the
      `sub`; if that account already holds another `sub`, the login is refused (an administrator unlinks it).
    - Unknown agent: a new account without any membership (roles give access to job seekers' data, so a
      manager of the organisation attaches the agent); the organisation whose SIRET ProConnect gave is only named.
    """
    domains = settings.PROCONNECT_ALLOWED_EMAIL_DOMAINS
    domain = identity.email.rsplit("@", 1)[-1]
    if domains and domain not in domains:
        raise proconnect.ProConnectError(
            f"Les adresses en « @{domain} » ne sont pas admises sur cette plateforme. Connectez-vous avec "
            "l'adresse de votre structure, ou demandez à l'administrateur de la plateforme d'ajouter ce domaine.",
            code="email_domain_refused",
            status=403,
        )
    created = False
    with transaction.atomic():
        user = User.objects.select_for_update().filter(proconnect_sub=identity.sub).first()
        if user is None:
            user = User.objects.select_for_update().filter(email__iexact=identity.email).first()
            if user is not None and user.proconnect_sub:
                raise proconnect.ProConnectError(
                    "Votre compte sur la plateforme est déjà lié à une autre identité ProConnect (vous vous êtes "
                    "peut-être connecté par un autre fournisseur d'identité). Par sécurité, la connexion est "
                    "refusée : demandez à l'administrateur de la plateforme de délier votre compte.",
                    code="sub_mismatch",
                    status=403,
                )
            if user is None:
                user = User(
                    email=identity.email,
                    first_name=identity.given_name[:150],
                    last_name=identity.usual_name[:150],
                    proconnect_sub=identity.sub,
                )
                user.set_unusable_password()
                user.save()
                created = True
            elif user.is_active:
                user.proconnect_sub = identity.sub
                user.save(update_fields=["proconnect_sub"])
        if not user.is_active:
            raise proconnect.ProConnectError(
                "Votre compte sur la plateforme est désactivé. Contactez l'administrateur de la plateforme.",
                code="account_inactive",
                status=403,
            )
    if created:
        record(
            action=AuditEntry.Action.CREATE,
            obj=user,
            actor=user,
            request=request,
            changes={"email": [None, user.email], "siret ProConnect": [None, identity.siret or None]},
            reason="compte créé à la première connexion ProConnect",
        )
    organisation = (
        Organisation.objects.filter(siret=identity.siret, is_active=True).order_by("name").first()
        if identity.siret
        else None
    )
    return ProConnectAccount(user=user, created=created, organisation_by_siret=organisation)
