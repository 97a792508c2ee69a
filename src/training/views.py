from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Role
from accounts.permissions import has_role, is_administrator
from training.forms import SessionForm
from training.models import TrainingSession
from training.selectors import latest_apprenticeship
from training.services import create_manual_session

HOME = {"url": "/formations/", "title": "Offre de formation"}


def can_enter_sessions(user) -> bool:
    return is_administrator(user) or has_role(user, Role.MANAGER)


def session_list(request):
    sessions = TrainingSession.objects.select_related("commune").order_by("-start_date", "title")
    rome = request.GET.get("rome", "").strip().upper()
    if rome:
        sessions = sessions.filter(rome_codes__icontains=rome)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    year, apprenticeship = latest_apprenticeship(rome=rome)
    return render(
        request,
        "training/session_list.html",
        {
            "title": "Offre de formation",
            "breadcrumb_links": [],
            "page": page,
            "rome": rome,
            "can_enter": can_enter_sessions(request.user),
            "apprenticeship_year": year,
            "apprenticeship": apprenticeship,
        },
    )


def session_detail(request, pk: int):
    session = get_object_or_404(TrainingSession.objects.select_related("commune"), pk=pk)
    return render(
        request,
        "training/session_detail.html",
        {"title": session.title, "breadcrumb_links": [HOME], "session": session},
    )


def session_create(request):
    if not can_enter_sessions(request.user):
        raise PermissionDenied("Seuls les responsables et administrateurs saisissent des sessions.")
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "commune_code"}
        session = create_manual_session(user=request.user, commune=form.commune, **fields)
        messages.success(
            request, "La session a été enregistrée ; elle comptera au prochain recalcul du diagnostic."
        )
        return redirect(session)
    return render(
        request,
        "training/session_form.html",
        {"title": "Saisir une session de formation", "breadcrumb_links": [HOME], "form": form},
    )
