"""ProConnect login, its callback, the page of an agent without a structure yet, and the logout round trip.

All of them answer 404 while PROCONNECT_ENABLED is off. Failures render a French page with what went wrong and
what to do, are written to the audit log, and never raise.
"""

import secrets
import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from accounts import proconnect, second_factor, throttle
from accounts.models import Membership, Organisation
from accounts.services import proconnect_account

FLOWS_SESSION_KEY = "proconnect_flows"  # state -> nonce, PKCE verifier, next URL, start time
ID_TOKEN_SESSION_KEY = "proconnect_id_token"  # kept for the logout (id_token_hint)
LOGOUT_STATE_SESSION_KEY = "proconnect_logout_state"
SIRET_ORGANISATION_SESSION_KEY = "proconnect_siret_organisation"
FLOW_MAX_AGE_SECONDS = 600
MAX_PENDING_FLOWS = 5  # a few tabs at once; older ones are dropped


def _require_enabled() -> None:
    if not proconnect.is_enabled():
        raise Http404("ProConnect n'est pas activé sur cette plateforme.")


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _failure(request: HttpRequest, error: proconnect.ProConnectError, *, email: str = "") -> HttpResponse:
    throttle.record_failure(email=email, request=request, reason=f"ProConnect : {error.code}")
    return render(
        request,
        "accounts/proconnect_error.html",
        {"title": "Connexion avec ProConnect impossible", "breadcrumb_links": [], "error": error},
        status=error.status,
    )


@login_not_required
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    try:
        authorization = proconnect.authorization_request(
            redirect_uri=request.build_absolute_uri(reverse("accounts:proconnect_callback"))
        )
    except proconnect.ProConnectError as error:
        return _failure(request, error)
    now = time.time()
    flows = {
        state: flow
        for state, flow in request.session.get(FLOWS_SESSION_KEY, {}).items()
        if now - flow["at"] < FLOW_MAX_AGE_SECONDS
    }
    flows = dict(sorted(flows.items(), key=lambda item: item[1]["at"])[-(MAX_PENDING_FLOWS - 1) :])
    flows[authorization.state] = {
        "nonce": authorization.nonce,
        "code_verifier": authorization.code_verifier,
        "next": _safe_next(request, request.GET.get("next")),
        "at": now,
    }
    request.session[FLOWS_SESSION_KEY] = flows
    return HttpResponseRedirect(authorization.url)


@login_not_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    flows = request.session.get(FLOWS_SESSION_KEY, {})
    flow = flows.pop(request.GET.get("state", ""), None)
    request.session[FLOWS_SESSION_KEY] = flows
    if request.GET.get("error"):
        description = request.GET.get("error_description", "")[:300]
        return _failure(
            request,
            proconnect.ProConnectError(
                "ProConnect a interrompu la connexion"
                + (f" : « {description} »." if description else ".")
                + " Vous pouvez réessayer.",
                code=f"provider_error_{request.GET['error'][:60]}",
                status=400,
            ),
        )
    if flow is None or time.time() - flow["at"] >= FLOW_MAX_AGE_SECONDS:
        return _failure(
            request,
            proconnect.ProConnectError(
                "Le retour de ProConnect ne correspond à aucune connexion en cours dans ce navigateur (elle a "
                "expiré, ou le lien ne vient pas de ce site). Recommencez la connexion.",
                code="state_mismatch",
                status=400,
            ),
        )
    identity = None
    try:
        identity = proconnect.complete_login(
            code=request.GET.get("code", ""),
            redirect_uri=request.build_absolute_uri(reverse("accounts:proconnect_callback")),
            nonce=flow["nonce"],
            code_verifier=flow["code_verifier"],
        )
        account = proconnect_account(identity=identity, request=request)
    except proconnect.ProConnectError as error:
        return _failure(request, error, email=identity.email if identity else "")

    user = account.user
    auth.login(request, user, backend="accounts.throttle.ThrottledModelBackend")
    request.session[ID_TOKEN_SESSION_KEY] = identity.id_token
    request.session[second_factor.LOGIN_METHOD_SESSION_KEY] = "ProConnect"
    mfa_at_provider = identity.acr in settings.PROCONNECT_MFA_ACR_VALUES
    if mfa_at_provider and second_factor.session_state(request) == second_factor.PENDING:
        second_factor.settle(request)
    if second_factor.session_state(request) != second_factor.PENDING:
        # With TOTP still to give, the code step records the login (a LOGIN now would reset the failure count).
        throttle.record_success(user=user, request=request, reason=f"ProConnect (acr {identity.acr or '-'})")
    if account.created or not Membership.objects.filter(user=user).exists():
        organisation = account.organisation_by_siret
        request.session[SIRET_ORGANISATION_SESSION_KEY] = organisation.pk if organisation else None
        return redirect("accounts:proconnect_welcome")
    return redirect(flow["next"] or settings.LOGIN_REDIRECT_URL)


def welcome(request: HttpRequest) -> HttpResponse:
    """An agent who came through ProConnect and belongs to no structure yet: who to ask."""
    _require_enabled()
    organisation_id = request.session.get(SIRET_ORGANISATION_SESSION_KEY)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    return render(
        request,
        "accounts/proconnect_welcome.html",
        {
            "title": "Votre compte est créé",
            "breadcrumb_links": [],
            "organisation": organisation,
            "has_membership": Membership.objects.filter(user=request.user).exists(),
        },
    )


def logout_through_provider(request: HttpRequest) -> HttpResponse | None:
    """After the local logout of a ProConnect session, the redirect that ends the ProConnect session too."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token or not proconnect.is_enabled():
        return None
    auth.logout(request)
    state = secrets.token_urlsafe(32)
    try:
        url = proconnect.logout_url(
            id_token=id_token,
            state=state,
            post_logout_redirect_uri=request.build_absolute_uri(
                reverse("accounts:proconnect_logout_callback")
            ),
        )
    except proconnect.ProConnectError:
        url = None
    if url is None:
        messages.warning(
            request,
            "Vous êtes déconnecté de la plateforme. ProConnect n'a pas pu être joint : fermez votre navigateur "
            "pour terminer aussi votre session ProConnect.",
        )
        return redirect(settings.LOGOUT_REDIRECT_URL)
    request.session[LOGOUT_STATE_SESSION_KEY] = state
    return HttpResponseRedirect(url)


@login_not_required
@require_GET
def logout_callback(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, None)
    if expected and secrets.compare_digest(expected, request.GET.get("state", "")):
        messages.success(request, "Vous êtes déconnecté de la plateforme et de ProConnect.")
    else:
        messages.warning(
            request,
            "Vous êtes déconnecté de la plateforme, mais le retour de ProConnect n'a pas pu être vérifié : "
            "fermez votre navigateur pour être sûr de terminer votre session ProConnect.",
        )
    return redirect(settings.LOGOUT_REDIRECT_URL)
