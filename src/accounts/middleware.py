from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import second_factor

# What a session may still reach while its second factor is awaited: the pages that settle it, and the way out.
PENDING_ALLOWED = ("accounts:second_factor", "accounts:logout")
ENROL_ALLOWED = ("accounts:totp_enrol", "accounts:logout")


class SecondFactorMiddleware:
    """Holds a logged-in session at the second-factor step until it is settled.

    - An account with TOTP that logged in with its password (or through ProConnect without a multi-factor ACR)
      must type a code before anything else: pages redirect to the code form, the API answers 401.
    - With REQUIRE_TOTP_FOR_ADMINISTRATORS, an administrator without TOTP must enrol before anything else.

    The state is decided once at login (`second_factor.on_user_logged_in`) and kept in the session, so ordinary
    requests cost no query. The Django admin is behind this middleware too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = second_factor.session_state(request)
        if state is None or request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        allowed = PENDING_ALLOWED if state == second_factor.PENDING else ENROL_ALLOWED
        if request.path_info in {reverse(name) for name in allowed}:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "status": 401,
                        "code": "second_factor_required",
                        "message": "Terminez la connexion (validation en deux étapes) avant d'utiliser l'API.",
                        "details": [],
                    }
                },
                status=401,
            )
        if state == second_factor.PENDING:
            target = reverse("accounts:second_factor")
        else:
            messages.warning(
                request,
                "La validation en deux étapes est obligatoire pour les administrateurs : activez-la pour continuer.",
            )
            target = reverse("accounts:totp_enrol")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
