"""Pages of the pool of offers: public search and offer detail; advisors' sources, import reports, file upload
and ROME review list."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import is_administrator, organisations_of
from accounts.services import current_organisation
from core.sync import SourceError
from offers import selectors, services
from offers.connectors import connector
from offers.forms import ImportForm, OfferSearchForm, RomeChoiceForm
from offers.models import ImportRun, RomeReview, Source

STAFF_ROLES = (Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR)
FACET_TITLES = {
    "contract": "Type de contrat",
    "departement": "Département",
    "bassin": "Bassin d'emploi",
    "rome": "Métier (ROME)",
    "source": "Source / opérateur",
    "published": "Date de publication",
}
FACET_PARAMS = {
    "contract": "contract",
    "departement": "departement",
    "bassin": "bassin",
    "rome": "rome",
    "source": "source",
    "published": "published_within_days",
}
MULTI_PARAMS = {"contract", "source"}


def _home_link():
    return {"url": reverse("offers:search"), "title": "Offres d'emploi"}


def _with(query: dict[str, list[str]], name: str, value: str, *, toggle: bool) -> str:
    """The querystring with `name=value` added (or removed when already there), back to page 1."""
    params = {k: list(v) for k, v in query.items() if k != "page"}
    current = params.get(name, [])
    if value in current:
        current = [v for v in current if v != value]
    elif toggle:
        current = [*current, value]
    else:
        current = [value]
    params[name] = current
    return "?" + urlencode([(k, v) for k, values in params.items() for v in values if v != ""])


def _is_staff(user) -> bool:
    return user.is_authenticated and (
        is_administrator(user) or organisations_of(user, roles=STAFF_ROLES).exists()
    )


@login_not_required
def search(request):
    form = OfferSearchForm(request.GET or None)
    result = None
    params = selectors.SearchParams()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        params = selectors.SearchParams(
            q=data["q"],
            rome=data["rome"] or "",
            appellation=data["appellation"].pk if data.get("appellation") else None,
            commune=data["commune"].pk if data.get("commune") else "",
            radius_km=data["radius_km"] or 0,
            departement=data["departement"] or "",
            bassin=request.GET.get("bassin", "")[:4],
            contract=data["contract"],
            published_within_days=data["published_within_days"],
            source=data["source"],
            sort=data["sort"] or "relevance",
            page=_page_number(request),
        )
    if not form.is_bound or form.is_valid():
        result = selectors.search_offers(params)
    query = {k: request.GET.getlist(k) for k in request.GET}
    facets = []
    if result:
        for name, values in result.facets.items():
            param = FACET_PARAMS[name]
            chosen = set(query.get(param, []))
            facets.append(
                {
                    "name": name,
                    "title": FACET_TITLES[name],
                    "values": [
                        {
                            "label": f.label,
                            "count": f.count,
                            "selected": f.value in chosen,
                            "url": _with(query, param, f.value, toggle=param in MULTI_PARAMS),
                        }
                        for f in values
                        if f.count
                    ],
                }
            )
    pages = []
    if result and result.pages > 1:
        window = range(max(1, result.page - 3), min(result.pages, result.page + 3) + 1)
        pages = [{"number": n, "url": _with(query, "page", str(n), toggle=False)} for n in window]
    return render(
        request,
        "offers/search.html",
        {
            "title": "Offres d'emploi",
            "breadcrumb_links": [],
            "form": form,
            "result": result,
            "facets": [f for f in facets if f["values"]],
            "pages": pages,
            "previous_url": _with(query, "page", str(result.page - 1), toggle=False)
            if result and result.page > 1
            else "",
            "next_url": _with(query, "page", str(result.page + 1), toggle=False)
            if result and result.page < result.pages
            else "",
            "is_staff": _is_staff(request.user),
        },
    )


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        return 1


@login_not_required
def detail(request, pk: int):
    offer = selectors.offer_detail(pk)
    if offer is None:
        raise Http404("Offre introuvable.")
    publications = list(offer.publications.all())
    return render(
        request,
        "offers/detail.html",
        {
            "title": offer.title,
            "breadcrumb_links": [_home_link()],
            "offer": offer,
            "publications": publications,
            "grouping": _grouping_explanations(publications),
            "is_staff": _is_staff(request.user),
        },
    )


def _grouping_explanations(publications) -> list[dict]:
    """For each publication that joined its group by a match, the signals that matched, in words (from the
    deduplication module)."""
    from offers.dedup import explain

    return [{"publication": p, "signals": explain(p.dedup_signals)} for p in publications if p.dedup_signals]


def _require_staff(request):
    if not _is_staff(request.user):
        raise PermissionDenied("Réservé aux conseillers et responsables des organisations partenaires.")


def _can_import(user, source: Source | None) -> bool:
    if is_administrator(user):
        return True
    if source is None or source.owner_id is None:
        return organisations_of(user, roles=STAFF_ROLES).exists()
    return organisations_of(user, roles=STAFF_ROLES).filter(pk=source.owner_id).exists()


def sources(request):
    _require_staff(request)
    importable = Source.objects.all()
    if not is_administrator(request.user):
        mine = organisations_of(request.user, roles=STAFF_ROLES)
        importable = importable.filter(owner__in=mine) | importable.filter(owner__isnull=True)
    form = ImportForm(sources=importable.order_by("name"))
    return render(
        request,
        "offers/sources.html",
        {
            "title": "Sources d'offres et imports",
            "breadcrumb_links": [_home_link()],
            "sources": selectors.sources_with_runs(),
            # The sources whose import reports the user may open (the ones they may import into).
            "readable_reports": set(importable.values_list("pk", flat=True)),
            "form": form,
            "pending_reviews": RomeReview.objects.filter(status=RomeReview.Status.PENDING).count(),
        },
    )


def upload(request):
    _require_staff(request)
    importable = Source.objects.all()
    if not is_administrator(request.user):
        mine = organisations_of(request.user, roles=STAFF_ROLES)
        importable = importable.filter(owner__in=mine) | importable.filter(owner__isnull=True)
    form = ImportForm(request.POST or None, request.FILES or None, sources=importable.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = data["source"]
        if source is None:
            source = services.get_or_create_source(
                name=data["new_source"], kind=data["format"], owner=current_organisation(request)
            )
        if not _can_import(request.user, source):
            raise PermissionDenied(
                "Seuls les membres de l'organisation propriétaire importent dans cette source."
            )
        mapping = None
        if data.get("mapping"):
            try:
                mapping = json.loads(data["mapping"].read().decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                form.add_error("mapping", f"Fichier de correspondance illisible : {exc}")
        if not form.errors:
            try:
                records = connector(data["format"])(
                    data["file"], source=source.name, mapping=mapping or source.mapping or None
                )
                run = services.import_records(
                    source=source,
                    records=records,
                    file_name=data["file"].name,
                    snapshot=data["snapshot"],
                    user=request.user,
                )
            except SourceError as exc:
                form.add_error("file", str(exc))
            else:
                if mapping:
                    source.mapping = mapping
                    source.save(update_fields=["mapping"])
                messages.success(
                    request,
                    f"Import terminé : {run.read_count} lues, {run.created_count} créées, {run.updated_count} mises à "
                    f"jour, {run.unchanged_count} inchangées, {run.rejected_count} rejetées, {run.closed_count} clôturées.",
                )
                return redirect(run)
    return render(
        request,
        "offers/upload.html",
        {
            "title": "Importer un fichier d'offres",
            "breadcrumb_links": [_home_link(), {"url": reverse("offers:sources"), "title": "Sources"}],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def source_detail(request, name: str):
    _require_staff(request)
    source = get_object_or_404(Source.objects.select_related("owner"), name=name)
    return render(
        request,
        "offers/source.html",
        {
            "title": f"Source « {source.display_name} »",
            "breadcrumb_links": [_home_link(), {"url": reverse("offers:sources"), "title": "Sources"}],
            "source": source,
            # Import reports (files, who ran them, rejected lines) belong to the source's owner organisation.
            "runs": source.runs.select_related("user")[:50] if _can_import(request.user, source) else [],
            "open_count": source.publications.filter(closed_at__isnull=True).count(),
            "closed_count": source.publications.filter(closed_at__isnull=False).count(),
        },
    )


def run_detail(request, pk: int):
    _require_staff(request)
    run = get_object_or_404(ImportRun.objects.select_related("source", "user"), pk=pk)
    if not _can_import(request.user, run.source):
        raise Http404("Import introuvable.")
    return render(
        request,
        "offers/run.html",
        {
            "title": f"Import du {run.started_at:%d/%m/%Y à %H:%M} — {run.source.display_name}",
            "breadcrumb_links": [
                _home_link(),
                {"url": reverse("offers:sources"), "title": "Sources"},
                {"url": run.source.get_absolute_url(), "title": run.source.display_name},
            ],
            "run": run,
        },
    )


def reviews(request):
    _require_staff(request)
    items = list(selectors.pending_reviews()[:100])
    return render(
        request,
        "offers/reviews.html",
        {
            "title": "Offres à coder dans le ROME",
            "breadcrumb_links": [_home_link()],
            "reviews": items,
            "total": selectors.pending_reviews().count(),
            "done_count": RomeReview.objects.filter(status=RomeReview.Status.DONE).count(),
        },
    )


def review(request, pk: int):
    _require_staff(request)
    item = get_object_or_404(
        RomeReview.objects.select_related(
            "publication__source", "publication__commune", "publication__offer"
        ),
        pk=pk,
    )
    form = RomeChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        appellation = form.cleaned_data["appellation"]
        services.record_rome_choice(review=item, appellation=appellation, user=request.user)
        messages.success(request, f"Code {appellation.fiche_id} ({appellation.label}) enregistré.")
        return redirect("offers:reviews")
    return render(
        request,
        "offers/review.html",
        {
            "title": f"Coder l'offre « {item.publication.title} »",
            "breadcrumb_links": [_home_link(), {"url": reverse("offers:reviews"), "title": "Offres à coder"}],
            "item": item,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
