from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from rome import selectors
from rome.forms import MetierSearchForm
from rome.models import Appellation, DomaineProfessionnel, Fiche

PER_PAGE = 20


def _home_link():
    return {"url": reverse("rome:index"), "title": "Métiers (ROME)"}


@login_not_required
def index(request):
    tree = selectors.domain_tree()
    return render(
        request,
        "rome/index.html",
        {
            "title": "Métiers (ROME)",
            "breadcrumb_links": [],
            "form": MetierSearchForm(),
            "tree": tree,
            "fiche_count": Fiche.objects.count(),
            "appellation_count": Appellation.objects.count(),
            "latest_import": selectors.latest_import(),
        },
    )


@login_not_required
def search(request):
    code = request.GET.get("appellation", "").strip()
    if code.isdigit():
        appellation = Appellation.objects.filter(pk=int(code)).select_related("fiche").first()
        if appellation is not None:
            return redirect(f"{appellation.fiche.get_absolute_url()}#appellation-{appellation.pk}")
    q = (request.GET.get("appellation_text") or request.GET.get("q") or "").strip()[:200]
    form = MetierSearchForm(initial={"appellation": None})
    form.fields["appellation"].widget._typed_text = q
    fiche_code = selectors.ROME_CODE_PREFIX.match(q)
    if fiche_code and len(q) == 5 and Fiche.objects.filter(code=q.upper()).exists():
        return redirect("rome:fiche", code=q.upper())
    page = Paginator(selectors.appellation_matches(q), PER_PAGE).get_page(request.GET.get("page"))
    fiches = list(selectors.fiches(q=q)[:PER_PAGE]) if q else []
    return render(
        request,
        "rome/search.html",
        {
            "title": f"Recherche « {q} »" if q else "Recherche de métiers",
            "breadcrumb_links": [_home_link()],
            "form": form,
            "q": q,
            "page": page,
            "fiches": fiches,
        },
    )


@login_not_required
def domaine(request, code: str):
    domaine = get_object_or_404(
        DomaineProfessionnel.objects.select_related("grand_domaine"), code=code.upper()
    )
    fiches = domaine.fiches.annotate(appellation_count=Count("appellations")).order_by("code")
    return render(
        request,
        "rome/domaine.html",
        {
            "title": f"{domaine.code} — {domaine.label}",
            "breadcrumb_links": [_home_link()],
            "domaine": domaine,
            "fiches": fiches,
        },
    )


@login_not_required
def fiche(request, code: str):
    detail = selectors.fiche_detail(code)
    if detail is None:
        raise Http404("Aucune fiche ROME ne porte ce code.")
    f = detail.fiche
    return render(
        request,
        "rome/fiche.html",
        {
            "title": f"{f.code} — {f.label}",
            "breadcrumb_links": [
                _home_link(),
                {
                    "url": reverse("rome:domaine", args=[f.domaine_id]),
                    "title": f"{f.domaine_id} — {f.domaine.label}",
                },
            ],
            "detail": detail,
            "fiche": f,
            # the definition is an introduction followed by the main activities, one per line
            "definition_lines": [line for line in f.definition.splitlines() if line.strip()],
            "skill_groups": [
                ("savoir-faire", "Savoir-faire", detail.skills["savoir_faire"]),
                ("savoir-etre", "Savoir-être professionnels", detail.skills["savoir_etre"]),
                ("savoirs", "Savoirs", detail.skills["savoir"]),
            ],
        },
    )
