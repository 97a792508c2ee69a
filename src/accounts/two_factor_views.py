"""TOTP second factor pages: the code step after login, enrolment, and disabling (accounts.second_factor)."""

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import second_factor, throttle
from accounts.forms import CodeForm, EnrolmentCodeForm


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def code_step(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if second_factor.session_state(request) != second_factor.PENDING:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if not second_factor.is_enrolled(request.user):  # an administrator removed the device meanwhile
        second_factor.settle(request)
        throttle.record_success(
            user=request.user, request=request, reason="second facteur retiré entre-temps"
        )
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, lock = second_factor.verify_login_code(request=request, code=form.cleaned_data["code"])
        if accepted:
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        if lock is not None:
            auth.logout(request)
            messages.error(request, lock.message)
            return redirect("accounts:login")
        form.add_error(
            "code",
            "Ce code n'est pas valable. Saisissez le code affiché maintenant par votre application (il change "
            "toutes les 30 secondes), ou un code de récupération pas encore utilisé.",
        )
    return render(
        request,
        "accounts/second_factor.html",
        {"title": "Validation en deux étapes", "breadcrumb_links": [], "form": form, "next": next_url},
    )


def enrol(request: HttpRequest) -> HttpResponse:
    if second_factor.is_enrolled(request.user):
        messages.info(request, "La validation en deux étapes est déjà activée sur votre compte.")
        return redirect("accounts:profile")
    device = second_factor.pending_device(request.user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_enrolment(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            return render(
                request,
                "accounts/recovery_codes.html",
                {
                    "title": "Codes de récupération",
                    "breadcrumb_links": [{"url": "/comptes/mon-compte/", "title": "Mon compte"}],
                    "codes": codes,
                    "next": _next_url(request),
                },
            )
        form.add_error(
            "code",
            "Ce code n'est pas valable. Vérifiez que l'heure de votre téléphone est juste, puis saisissez le code "
            "affiché maintenant (6 chiffres).",
        )
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "title": "Activer la validation en deux étapes",
            "breadcrumb_links": [{"url": "/comptes/mon-compte/", "title": "Mon compte"}],
            "form": form,
            "qr_code": second_factor.qr_code_svg(device),
            "secret": second_factor.secret_for_display(device),
            "next": _next_url(request),
        },
    )


@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    if second_factor.must_enrol(request.user):
        messages.error(
            request,
            "La validation en deux étapes est obligatoire pour les administrateurs : elle ne peut pas être "
            "désactivée. Pour changer de téléphone, demandez à un autre administrateur de la réinitialiser.",
        )
        return redirect("accounts:profile")
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Saisissez un code pour désactiver la validation en deux étapes.")
        return redirect("accounts:profile")
    done, lock = second_factor.disable(request=request, code=form.cleaned_data["code"])
    if done:
        messages.success(request, "La validation en deux étapes est désactivée sur votre compte.")
    elif lock is not None:
        auth.logout(request)
        messages.error(request, lock.message)
        return redirect("accounts:login")
    else:
        messages.error(
            request,
            "Ce code n'est pas valable : la validation en deux étapes reste activée. Saisissez le code affiché "
            "par votre application ou un code de récupération.",
        )
    return redirect("accounts:profile")
