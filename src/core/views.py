from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from accounts.services import current_organisation
from core import navigation


def home_cards(user) -> list[navigation.NavItem]:
    """The menu's entries that describe themselves, section by section in menu order."""
    items = [item for item in navigation.items_for(user) if item.description]
    first_order = {}
    for item in items:
        first_order.setdefault(item.group, item.order)
    return sorted(items, key=lambda item: (first_order[item.group], item.order))


@login_not_required
def home(request):
    return render(
        request,
        "core/home.html",
        {
            "title": "Accueil",
            "organisation": current_organisation(request),
            "home_cards": home_cards(request.user),
        },
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
