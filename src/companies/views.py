from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import is_administrator
from accounts.services import current_organisation
from companies import selectors, services
from companies.forms import ContactForm, OperationForm, OutcomeForm, SearchForm
from companies.ical import operations_calendar
from companies.models import EmployerLink, Establishment, Operation
from core.pagination import page_query
from core.text import fold
from jobseekers.selectors import get_visible_record, visible_records
from matching.models import Referral
from territories.models import Bassin, Departement

BREADCRUMB = [{"url": "/entreprises/", "title": "Entreprises"}]


def _acting(request):
    organisation = current_organisation(request)
    if organisation is None:
        return None, HttpResponseForbidden("Vous devez être membre d'une organisation du réseau.")
    return organisation, None


def index(request):
    form = SearchForm(request.GET or None)
    establishments = Establishment.objects.none()
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        digits = query.replace(" ", "")
        establishments = (
            Establishment.objects.filter(
                Q(siret__startswith=digits) if digits.isdigit() else Q(search_name__contains=fold(query))
            )
            .select_related("commune")
            .order_by("name")
        )
    page = Paginator(establishments, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "companies/index.html",
        {
            "title": "Entreprises",
            "breadcrumb_links": [],
            "form": form,
            "page_obj": page,
            "page_query": page_query(request.GET),
            "query": query,
            "operations": selectors.public_operations()[:5],
        },
    )


def establishment_detail(request, siret: str):
    establishment = get_object_or_404(
        Establishment.objects.select_related("company", "commune", "merged_into"), siret=siret
    )
    organisation = current_organisation(request)
    check = (
        selectors.solicitation_check(establishment=establishment, organisation=organisation)
        if organisation
        else None
    )
    form = ContactForm(request.POST or None, initial={"coordinated_with_referent": False})
    if request.method == "POST":
        if organisation is None:
            return HttpResponseForbidden("Vous devez être membre d'une organisation du réseau.")
        if form.is_valid():
            try:
                services.record_contact(
                    establishment=establishment,
                    organisation=organisation,
                    author=request.user,
                    data=form.cleaned_data,
                )
            except services.CoordinationRequired as warning:
                form.add_error("coordinated_with_referent", str(warning))
            else:
                messages.success(request, "Contact enregistré.")
                return redirect(establishment.get_absolute_url())
    links = EmployerLink.objects.filter(establishment=establishment).select_related("offer")
    hires = Referral.objects.filter(
        offer__employer_link__establishment=establishment, status=Referral.Status.HIRED
    ).count()
    return render(
        request,
        "companies/establishment_detail.html",
        {
            "title": str(establishment),
            "breadcrumb_links": BREADCRUMB,
            "establishment": establishment,
            "check": check,
            "form": form,
            "contacts": establishment.contacts.select_related("organisation", "author"),
            "links": links,
            "operations": establishment.operations.select_related("operation"),
            "referent": selectors.referent_of(establishment),
            "hires": hires,
            "merges": establishment.merges.all(),
        },
    )


def targets(request):
    bassin = request.GET.get("bassin") or None
    departement = request.GET.get("departement") or None
    return render(
        request,
        "companies/targets.html",
        {
            "title": "Entreprises à prospecter",
            "breadcrumb_links": BREADCRUMB,
            "targets": selectors.prospecting_targets(bassin=bassin, departement=departement),
            "bassins": Bassin.objects.filter(communes__region_id=settings.REGION_CODE)
            .distinct()
            .order_by("name"),
            "bassin": bassin,
        },
    )


def links_review(request):
    if request.method == "POST":
        link = get_object_or_404(
            EmployerLink, pk=request.POST.get("link"), status=EmployerLink.Status.TO_REVIEW
        )
        link.status = (
            EmployerLink.Status.CONFIRMED
            if request.POST.get("decision") == "confirm"
            else EmployerLink.Status.REJECTED
        )
        link.reviewed_by = request.user
        link.save(update_fields=["status", "reviewed_by"])
        return redirect("companies:links_review")
    links = EmployerLink.objects.filter(status=EmployerLink.Status.TO_REVIEW).select_related(
        "offer", "establishment__commune"
    )
    return render(
        request,
        "companies/links_review.html",
        {"title": "Employeurs des offres à vérifier", "breadcrumb_links": BREADCRUMB, "links": links[:200]},
    )


def operation_create(request):
    organisation, refused = _acting(request)
    if refused:
        return refused
    form = OperationForm(request.POST or None)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        operation = form.save(commit=False)
        operation.organiser = organisation
        operation.created_by = request.user
        operation.naf_sectors = form.cleaned_data["naf_sectors"]
        probe_fiches = form.cleaned_data["fiche_codes"]
        conflicts = selectors.conflicts_for_new(operation=operation, fiches=probe_fiches)
        if not conflicts or request.POST.get("confirm_conflict"):
            operation.save()
            operation.fiches.set(probe_fiches)
            messages.success(request, "Opération publiée dans l'agenda commun.")
            return redirect(operation.get_absolute_url())
    return render(
        request,
        "companies/operation_form.html",
        {
            "title": "Nouvelle opération de recrutement",
            "breadcrumb_links": BREADCRUMB,
            "form": form,
            "conflicts": conflicts,
        },
    )


@login_not_required
def operation_detail(request, pk: int):
    operation = get_object_or_404(Operation.objects.select_related("commune", "organiser"), pk=pk)
    if not operation.is_public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())  # outside the public agenda: network agents only
    organisation = current_organisation(request)
    outcome_form = OutcomeForm(instance=operation)
    if request.method == "POST" and organisation is not None:
        action = request.POST.get("action")
        try:
            if action == "company":
                establishment = get_object_or_404(
                    Establishment, siret=request.POST.get("siret", "").replace(" ", "")
                )
                services.register_company(operation=operation, establishment=establishment)
                messages.success(request, f"{establishment} est inscrite.")
            elif action == "person":
                record = get_visible_record(request.user, int(request.POST.get("jobseeker", 0)))
                services.register_person(
                    operation=operation, jobseeker=record, organisation=organisation, user=request.user
                )
                messages.success(request, f"{record.first_name} {record.last_name} est inscrit(e).")
            elif action == "outcome" and organisation.pk == operation.organiser_id:
                outcome_form = OutcomeForm(request.POST, instance=operation)
                if outcome_form.is_valid():
                    outcome_form.save()
                    messages.success(request, "Résultats enregistrés.")
        except services.OperationFull as full:
            messages.error(request, str(full))
        return redirect(operation.get_absolute_url())
    mine = visible_records(request.user).order_by("last_name") if request.user.is_authenticated else []
    registered = operation.participants.filter(jobseeker__in=mine).select_related("jobseeker") if mine else []
    return render(
        request,
        "companies/operation_detail.html",
        {
            "title": operation.title,
            "breadcrumb_links": [{"url": reverse("companies:agenda"), "title": "Agenda du recrutement"}],
            "operation": operation,
            "conflicts": selectors.conflicts_for(operation=operation),
            "companies": operation.companies.select_related("establishment"),
            "people_count": operation.participants.count(),
            "my_people": registered,
            "records": mine,
            "outcome_form": outcome_form,
            "is_organiser": organisation is not None and organisation.pk == operation.organiser_id,
        },
    )


@login_not_required
def agenda(request):
    departement = request.GET.get("departement") or None
    bassin = request.GET.get("bassin") or None
    return render(
        request,
        "companies/agenda.html",
        {
            "title": "Agenda du recrutement",
            "breadcrumb_links": [],
            "operations": selectors.public_operations(departement=departement, bassin=bassin),
            "departements": Departement.objects.filter(region_id=settings.REGION_CODE),
            "departement": departement,
            "bassin": bassin,
        },
    )


@login_not_required
def agenda_ics(request):
    departement = request.GET.get("departement") or None
    bassin = request.GET.get("bassin") or None
    operations = selectors.public_operations(departement=departement, bassin=bassin)
    name = (
        "Agenda du recrutement"
        + (f" — département {departement}" if departement else "")
        + (f" — bassin {bassin}" if bassin else "")
    )
    response = HttpResponse(
        operations_calendar(operations, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="agenda-recrutement.ics"'
    return response


@require_POST
def merge(request, siret: str):
    if not is_administrator(request.user):
        return HttpResponseForbidden("Réservé aux administrateurs.")
    duplicate = get_object_or_404(Establishment, siret=siret)
    kept = get_object_or_404(Establishment, siret=request.POST.get("kept", "").replace(" ", ""))
    services.merge(
        duplicate=duplicate,
        kept=kept,
        reason=request.POST.get("reason", "")[:300] or "doublon",
        user=request.user,
    )
    messages.success(request, f"Fusionné dans {kept}.")
    return redirect(kept.get_absolute_url())
