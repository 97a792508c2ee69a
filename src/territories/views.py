"""Public pages on the territories of the network: the configured region, communes and their zonings."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from territories import selectors
from territories.forms import CommuneSearchForm, RadiusForm
from territories.models import Bassin, Commune, Departement, Epci, Region, ZoneEmploi

PER_PAGE = 25
NEARBY_LISTED = 100


def _index_link() -> dict:
    return {"url": reverse("territories:index"), "title": "Territoires"}


def _page(request, queryset, per_page: int = PER_PAGE):
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page


@login_not_required
def index(request):
    region = Region.objects.filter(pk=settings.REGION_CODE).first()
    context = {
        "title": f"Territoires — {region.name}" if region else "Territoires",
        "breadcrumb_links": [],
        "region": region,
        "region_code": settings.REGION_CODE,
        "form": CommuneSearchForm(),
    }
    if region:
        totals = selectors.region_communes().aggregate(count=Count("pk"), population=Sum("population"))
        context.update(
            commune_count=totals["count"],
            population=totals["population"],
            departements=selectors.territories_with_totals(Departement, region=region.pk).order_by("code"),
            zones_emploi=selectors.territories_with_totals(ZoneEmploi, region=region.pk).order_by("name"),
            bassins=selectors.territories_with_totals(Bassin, region=region.pk).order_by("name"),
            epcis=selectors.territories_with_totals(Epci, region=region.pk).order_by("name"),
        )
    return render(request, "territories/index.html", context)


@login_not_required
def communes(request):
    """Search results; a commune picked in the autocomplete (or typed unambiguously) opens its page."""
    query = (request.GET.get("q") or request.GET.get("commune_text") or "").strip()
    notice = None
    if "q" not in request.GET and ("commune" in request.GET or "commune_text" in request.GET):
        submitted = CommuneSearchForm(request.GET)
        if submitted.is_valid():
            return redirect(submitted.cleaned_data["commune"])
        notice = " ".join(submitted.errors.get("commune", []))
    form = CommuneSearchForm()
    form.fields["commune"].widget.value_from_datadict({"commune_text": query}, {}, "commune")  # keep the text
    results = selectors.search_communes(query=query, limit=None).select_related(
        "epci", "zone_emploi", "bassin"
    )
    page = _page(request, results)
    return render(
        request,
        "territories/communes.html",
        {
            "title": f"Communes correspondant à « {query} »" if query else "Rechercher une commune",
            "breadcrumb_links": [_index_link()],
            "form": form,
            "query": query,
            "notice": notice,
            "page_obj": page,
        },
    )


@login_not_required
def commune(request, code: str):
    commune = selectors.commune_by_code(code)
    if commune is None:
        get_object_or_404(Commune, pk=code)
    if commune.pk != code:  # an arrondissement or a former code: show the current commune at its own address
        return redirect(commune)
    commune = get_object_or_404(
        Commune.objects.select_related("departement", "region", "epci", "zone_emploi", "bassin"), pk=code
    )
    radius_form = RadiusForm(request.GET if "rayon" in request.GET else None)
    radius_km = (
        radius_form.cleaned_data["rayon"]
        if radius_form.is_valid()
        else RadiusForm.base_fields["rayon"].initial
    )
    nearby = selectors.nearest_communes(commune=commune, radius_km=radius_km, limit=None)
    return render(
        request,
        "territories/commune.html",
        {
            "title": f"{commune.name} ({commune.departement_id})",
            "breadcrumb_links": [
                _index_link(),
                {"url": commune.departement.get_absolute_url(), "title": str(commune.departement)},
            ],
            "commune": commune,
            "radius_form": radius_form if radius_form.is_bound else RadiusForm(initial={"rayon": radius_km}),
            "radius_km": radius_km,
            "nearby": nearby[:NEARBY_LISTED],
            "nearby_count": len(nearby),
            "nearby_population": sum(c.population or 0 for c in nearby),
            "aliases": commune.aliases.order_by("code"),
        },
    )


def _territory(request, model, pk: str, *, kind: str):
    territory = get_object_or_404(model, pk=pk)
    communes = selectors.territory_communes(territory).select_related("epci", "zone_emploi", "bassin")
    totals = communes.aggregate(count=Count("pk"), population=Sum("population"))
    by_departement = (
        communes.order_by()
        .values("departement_id", "departement__name")
        .annotate(count=Count("pk"), population=Sum("population"))
        .order_by("departement_id")
    )
    return render(
        request,
        "territories/territory.html",
        {
            "title": f"{kind} : {territory}",
            "breadcrumb_links": [_index_link()],
            "territory": territory,
            "kind": kind,
            "model_name": model._meta.model_name,
            "commune_count": totals["count"],
            "population": totals["population"],
            "by_departement": by_departement if model is not Departement else [],
            "page_obj": _page(request, communes),
        },
    )


@login_not_required
def departement(request, code: str):
    return _territory(request, Departement, code, kind="Département")


@login_not_required
def epci(request, siren: str):
    return _territory(request, Epci, siren, kind="EPCI")


@login_not_required
def zone_emploi(request, code: str):
    return _territory(request, ZoneEmploi, code, kind="Zone d'emploi")


@login_not_required
def bassin(request, code: str):
    return _territory(request, Bassin, code, kind="Bassin d'emploi France Travail")
