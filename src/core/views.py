from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from accounts.services import current_organisation


@login_not_required
def home(request):
    return render(
        request,
        "core/home.html",
        {"title": "Accueil", "organisation": current_organisation(request)},
    )


@login_not_required
def accessibility(request):
    return render(
        request, "core/accessibility.html", {"title": "Déclaration d'accessibilité", "breadcrumb_links": []}
    )


@login_not_required
def legal(request):
    return render(
        request,
        "core/legal.html",
        {"title": "Mentions légales et données personnelles", "breadcrumb_links": []},
    )
