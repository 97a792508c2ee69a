from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import proconnect, proconnect_views, second_factor
from accounts.forms import CodeForm, LoginForm
from accounts.models import Membership, Organisation
from accounts.permissions import organisations_of
from accounts.services import choose_organisation, current_organisation
from audit.selectors import may_review


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Se connecter", "breadcrumb_links": []}

    def get_context_data(self, **kwargs):
        return super().get_context_data(proconnect_enabled=proconnect.is_enabled(), **kwargs)


class LogoutView(auth_views.LogoutView):
    """Local logout; a ProConnect session is then ended at ProConnect too (end_session_endpoint)."""

    def post(self, request, *args, **kwargs):
        return proconnect_views.logout_through_provider(request) or super().post(request, *args, **kwargs)


def profile(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "title": "Mon compte",
            "breadcrumb_links": [],
            "memberships": memberships,
            "current": current_organisation(request),
            "is_dpo": may_review(request.user),
            "totp_enrolled": second_factor.is_enrolled(request.user),
            "totp_required": second_factor.must_enrol(request.user),
            "recovery_codes_left": second_factor.recovery_codes_left(request.user),
            "disable_form": CodeForm(),
        },
    )


@require_POST
def switch_organisation(request):
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation"))
    try:
        choose_organisation(request, organisation=organisation)
    except PermissionError as exc:
        return HttpResponseForbidden(str(exc))
    messages.success(request, f"Vous agissez désormais pour {organisation}.")
    return redirect("accounts:profile")


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("departements", "bassins", "zones_emploi", "epcis", "regions"),
        pk=pk,
    )
    mine = organisations_of(request.user).filter(pk=pk).exists()
    members = organisation.memberships.select_related("user").order_by("user__last_name") if mine else None
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "title": organisation.name,
            "breadcrumb_links": [{"url": "/comptes/organisations/", "title": "Organisations"}],
            "organisation": organisation,
            "members": members,
        },
    )


def organisation_list(request):
    organisations = Organisation.objects.filter(is_active=True).order_by("kind", "name")
    return render(
        request,
        "accounts/organisation_list.html",
        {"title": "Organisations du réseau", "breadcrumb_links": [], "organisations": organisations},
    )
