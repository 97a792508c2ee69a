import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.permissions import is_administrator, organisations_of
from diagnosis import charts, exports, selectors, services, tables
from diagnosis.forms import ActionLineForm, CompareForm, CompareOccupationsForm, StatusForm
from diagnosis.indicators import recompute_indicators
from diagnosis.models import ActionLine, Indicator, OccupationKind
from diagnosis.selectors import TERRITORY_SLUGS
from rome.models import Fiche

NOMENCLATURES = {
    OccupationKind.ROME3: "ROME v3 (fiches ROME 4.0 rattachées à leur code parent)",
    OccupationKind.FAP2009: "Familles professionnelles FAP 2009",
    OccupationKind.FAP2021: "Métiers BMO (FAP 2021)",
}
HOME = {"url": "/diagnostic/", "title": "Diagnostic territorial"}


def index(request):
    return render(
        request,
        "diagnosis/index.html",
        {
            "title": "Diagnostic territorial partagé",
            "breadcrumb_links": [],
            "territories": selectors.region_territories(),
            "datasets": selectors.datasets(),
            "indicator_count": Indicator.objects.count(),
            "compare_form": CompareForm(),
            "compare_occupations_form": CompareOccupationsForm(),
            "recent_actions": ActionLine.objects.select_related("owner")[:5],
            "can_recompute": is_administrator(request.user),
        },
    )


@require_POST
def recompute(request):
    """Administrators rebuild the indicators after importing or entering training data (a few seconds)."""
    if not is_administrator(request.user):
        raise PermissionDenied("Réservé aux administrateurs.")
    started = time.perf_counter()
    count = recompute_indicators()
    messages.success(request, f"{count} indicateurs recalculés en {time.perf_counter() - started:.1f} s.")
    return redirect("diagnosis:index")


def _territory(kind_slug: str, code: str):
    kind = TERRITORY_SLUGS.get(kind_slug)
    if kind is None or kind not in selectors.PAGE_TERRITORY_KINDS:
        raise Http404("Niveau territorial inconnu.")
    return selectors.territory(kind, code)


def _nomenclature(request) -> str:
    value = request.GET.get("nomenclature", OccupationKind.ROME3)
    return value if value in NOMENCLATURES else OccupationKind.ROME3


def _map(request):
    occupation = request.GET.get("metier", "").strip().upper()
    label = None
    if occupation:
        # a ROME 4.0 fiche is read through its ROME v3 parent, the level statistics are published at
        occupation = (
            Fiche.objects.filter(code=occupation).values_list("parent_code", flat=True).first() or occupation
        )
        row = Indicator.objects.filter(
            occupation_kind=OccupationKind.ROME3, occupation_code=occupation
        ).first()
        label = f"{occupation} — {row.occupation_label}" if row else None
        occupation = occupation if row else ""
    points = selectors.map_points(occupation_kind=OccupationKind.ROME3, occupation_code=occupation or None)
    table = tables.map_table(points, occupation_label=label)
    drawing = charts.region_map(points, selectors.commune_points(), title=table.title, ident="chart-carte")
    return table, drawing, occupation


def territory_page(request, kind: str, code: str):
    territory = _territory(kind, code)
    nomenclature = _nomenclature(request)
    map_table, map_svg, map_occupation = _map(request)
    built = tables.all_tables(territory, occupation_kind=nomenclature, rome3=map_occupation or None)
    tension = built["tension"]
    charts_by_table = {
        "tension": charts.bar_chart(
            [(f"{r[0]} {r[1]}", r[6]) for r in tension.rows],
            title=tension.title,
            ident="chart-tension",
            digits=2,
        ),
        "ecarts": charts.bar_chart(
            [(f"{r[0]} {r[1]}", r[6]) for r in built["ecarts"].rows],
            title=built["ecarts"].title,
            ident="chart-ecarts",
            digits=0,
        ),
        "recrutements": charts.bar_chart(
            [(f"{r[0]} {r[1]}", r[2]) for r in built["recrutements"].rows],
            title=built["recrutements"].title,
            ident="chart-recrutements",
        ),
    }
    pool = built["plateforme"]
    if len(pool.rows) >= 2:
        charts_by_table["plateforme"] = charts.time_series(
            [(r[0], r[1]) for r in pool.rows], title=pool.title, ident="chart-plateforme"
        )
    trend = built.get("tendance")
    if trend is not None and trend.rows:
        charts_by_table["tendance"] = charts.time_series(
            [(r[0], r[1]) for r in trend.rows if r[1] is not None],
            title=f"{trend.title} : {trend.columns[1].label}",
            ident="chart-tendance",
            digits=2,
        )
    sections = [(table, charts_by_table.get(name)) for name, table in built.items()]
    return render(
        request,
        "diagnosis/territory.html",
        {
            "title": f"Diagnostic — {territory}",
            "breadcrumb_links": [HOME],
            "territory": territory,
            "nomenclature": nomenclature,
            "nomenclatures": NOMENCLATURES,
            "sections": sections,
            "map_table": map_table,
            "map_svg": map_svg,
            "map_occupation": map_occupation,
            "occupations": selectors.occupation_choices(OccupationKind.ROME3),
            "datasets": selectors.datasets(),
            "can_draft": services.can_draft(request.user),
            "actions": ActionLine.objects.filter(
                territory_kind=territory.kind, territory_code=territory.code
            ),
        },
    )


def _table_for(request, territory, name: str):
    if name == "carte":
        return _map(request)[0]
    built = tables.all_tables(
        territory, occupation_kind=_nomenclature(request), rome3=_map(request)[2] or None
    )
    if name not in built:
        raise Http404("Tableau inconnu.")
    return built[name]


def export_table(request, kind: str, code: str, name: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404("Format inconnu (csv ou xlsx).")
    territory = _territory(kind, code)
    table = _table_for(request, territory, name)
    filename = slugify(f"diagnostic-{name}-{territory.kind}-{territory.code}")
    if fmt == "csv":
        response = HttpResponse(exports.table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.table_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def report(request, kind: str, code: str):
    territory = _territory(kind, code)
    built = tables.all_tables(territory, occupation_kind=_nomenclature(request))
    pdf = exports.report_pdf(
        title=f"Diagnostic territorial partagé — {territory}",
        tables=[*built.values(), _map(request)[0]],
        datasets=selectors.datasets(),
        intro=(
            "Tension sur le marché du travail, besoins de recrutement et offre de formation, établis à partir des "
            "sources publiques citées et des données de la plateforme."
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(f"diagnostic-{territory.kind}-{territory.code}")}.pdf"'
    )
    return response


COMPARED_FIELDS = [
    ("offers", "Offres (2021)", "int"),
    ("job_seekers", "Demandeurs A, B, C (2021)", "int"),
    ("offers_per_job_seeker", "Offres par demandeur", "float2"),
    ("open_offers", "Offres ouvertes au 21/12/2021", "int"),
    ("hiring_projects", "Projets de recrutement (BMO 2025, estimés)", "float1"),
    ("share_difficult", "Part des projets difficiles", "pct"),
    ("share_seasonal", "Part des projets saisonniers", "pct"),
    ("pool_offers", "Offres du vivier de la plateforme", "int"),
    ("time_to_fill_days", "Délai de pourvoi moyen (jours)", "float1"),
    ("tension_score", "Indicateur composite", "float2"),
    ("tension_class", "Classe de tension (1 à 5)", "int"),
    ("training_places", "Places de formation", "int"),
    ("coverage_gap", "Écart besoin − places", "float1"),
]


def _comparison_rows(first, second):
    rows = []
    for name, label, kind in COMPARED_FIELDS:
        values = [getattr(item, name) if item is not None else None for item in (first, second)]
        rows.append([label, *[tables._display(v, kind) for v in values]])
    return rows


def compare(request):
    form = CompareForm(request.GET or None)
    context = {
        "title": "Comparer deux territoires",
        "breadcrumb_links": [HOME],
        "form": form,
        "datasets": selectors.datasets(),
    }
    if form.is_bound and form.is_valid():
        first = selectors.territory_from_ref(form.cleaned_data["first"])
        second = selectors.territory_from_ref(form.cleaned_data["second"])
        occupation = form.cleaned_data["occupation"]
        context.update(first=first, second=second)
        if occupation:
            cells = [
                selectors.indicator(t, occupation_kind=OccupationKind.ROME3, occupation_code=occupation)
                for t in (first, second)
            ]
            context["occupation"] = dict(form.fields["occupation"].choices).get(occupation, occupation)
            context["rows"] = _comparison_rows(*cells)
        else:
            context["tension_tables"] = [tables.tension_table(t, limit=10) for t in (first, second)]
    return render(request, "diagnosis/compare.html", context)


def compare_occupations(request):
    form = CompareOccupationsForm(request.GET or None)
    context = {
        "title": "Comparer deux métiers",
        "breadcrumb_links": [HOME],
        "form": form,
        "datasets": selectors.datasets(),
    }
    if form.is_bound and form.is_valid():
        territory = selectors.territory_from_ref(form.cleaned_data["territory"])
        labels = dict(form.fields["first"].choices)
        codes = [form.cleaned_data["first"], form.cleaned_data["second"]]
        cells = [
            selectors.indicator(territory, occupation_kind=OccupationKind.ROME3, occupation_code=c)
            for c in codes
        ]
        context.update(
            territory=territory, headings=[labels.get(c, c) for c in codes], rows=_comparison_rows(*cells)
        )
    return render(request, "diagnosis/compare_occupations.html", context)


# Joint action lines ---------------------------------------------------------------------------------------------


def action_list(request):
    actions = ActionLine.objects.select_related("owner").prefetch_related("partners")
    status = request.GET.get("statut", "")
    if status in ActionLine.Status.values:
        actions = actions.filter(status=status)
    return render(
        request,
        "diagnosis/action_list.html",
        {
            "title": "Axes d'action communs",
            "breadcrumb_links": [HOME],
            "actions": actions,
            "statuses": ActionLine.Status.choices,
            "status": status,
            "can_draft": services.can_draft(request.user),
        },
    )


def _owners(user):
    return (
        Organisation.objects.filter(is_active=True)
        if is_administrator(user)
        else organisations_of(user, roles=services.DRAFTING_ROLES)
    )


def action_create(request):
    if not services.can_draft(request.user):
        raise PermissionDenied(
            "Seuls les membres de comité, responsables et administrateurs rédigent des actions."
        )
    initial = {}
    if request.method == "GET":
        occupation, territory_ref = request.GET.get("metier", ""), request.GET.get("territoire", "")
        initial = {"occupation": occupation, "territory": territory_ref}
        if occupation and territory_ref:
            try:
                territory = selectors.territory_from_ref(territory_ref)
            except Http404:
                territory = None
            cell = territory and selectors.indicator(
                territory, occupation_kind=OccupationKind.ROME3, occupation_code=occupation
            )
            if cell is not None:
                initial["baseline_value"] = cell.training_places
                initial["target_indicator"] = ActionLine.TargetIndicator.TRAINING_PLACES
                if cell.coverage_gap:
                    initial["target_value"] = round(cell.training_places + cell.coverage_gap)
                    initial["title"] = (
                        f"Ouvrir {round(cell.coverage_gap)} places de formation « {cell.occupation_label} » "
                        f"— {territory}"
                    )[:250]
    owners = _owners(request.user)
    form = ActionLineForm(request.POST or None, initial=initial, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_fields()
        snapshot = selectors.indicator(
            selectors.territory(data["territory_kind"], data["territory_code"]),
            occupation_kind=OccupationKind.ROME3,
            occupation_code=data["occupation_code"],
        )
        if snapshot is not None:
            data["gap_snapshot"] = {
                "need_estimate": snapshot.need_estimate,
                "training_places": snapshot.training_places,
                "coverage_gap": snapshot.coverage_gap,
                "tension_class": snapshot.tension_class,
                "share_difficult": snapshot.share_difficult,
            }
        action = services.create_action_line(
            user=request.user, partners=form.cleaned_data["partners"], **data
        )
        messages.success(request, "L'action a été enregistrée comme brouillon.")
        return redirect(action)
    return render(
        request,
        "diagnosis/action_form.html",
        {
            "title": "Rédiger un axe d'action commun",
            "breadcrumb_links": [
                HOME,
                {"url": reverse("diagnosis:actions"), "title": "Axes d'action communs"},
            ],
            "form": form,
        },
    )


def action_edit(request, pk: int):
    action = get_object_or_404(ActionLine, pk=pk)
    if not services.can_edit(request.user, action):
        raise PermissionDenied("Vous ne pouvez pas modifier cette action.")
    form = ActionLineForm(
        request.POST or None,
        instance=action,
        owners=_owners(request.user) | Organisation.objects.filter(pk=action.owner_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_fields()
        services.update_action_line(
            user=request.user, action=action, partners=form.cleaned_data["partners"], **data
        )
        messages.success(request, "L'action a été mise à jour.")
        return redirect(action)
    return render(
        request,
        "diagnosis/action_form.html",
        {
            "title": f"Modifier « {action.title} »",
            "breadcrumb_links": [HOME, {"url": action.get_absolute_url(), "title": "Action"}],
            "form": form,
        },
    )


def action_detail(request, pk: int):
    action = get_object_or_404(ActionLine.objects.select_related("owner", "created_by"), pk=pk)
    editable = services.can_edit(request.user, action)
    statuses = services.allowed_statuses(action)
    return render(
        request,
        "diagnosis/action_detail.html",
        {
            "title": action.title,
            "breadcrumb_links": [
                HOME,
                {"url": reverse("diagnosis:actions"), "title": "Axes d'action communs"},
            ],
            "action": action,
            "editable": editable,
            "status_form": StatusForm(statuses=statuses) if editable and statuses else None,
            "history": action.history.select_related("history_user").order_by("-history_date")[:50],
        },
    )


@require_POST
def action_status(request, pk: int):
    action = get_object_or_404(ActionLine, pk=pk)
    form = StatusForm(request.POST, statuses=services.allowed_statuses(action))
    if form.is_valid():
        try:
            services.change_status(
                user=request.user,
                action=action,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Statut : {action.get_status_display()}.")
    else:
        messages.error(request, "Statut non autorisé depuis l'état actuel.")
    return redirect(action)
