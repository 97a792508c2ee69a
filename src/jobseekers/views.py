"""Pages of the job seeker records and of the advisors' aid workflow. Thin: access in selectors, writes and
audit in services. A record the user may not see answers 404, whatever the page."""

import csv
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.services import current_organisation
from aids.models import Aid
from aids.results import STATUS_LABELS
from jobseekers import selectors, services
from jobseekers.forms import (
    AidRequestFilterForm,
    AidRequestForm,
    ConsentForm,
    CreateRecordForm,
    DashboardForm,
    DocumentsForm,
    EndFollowUpForm,
    FollowUpForm,
    NeedForm,
    RecordForm,
    SearchForm,
    StatusForm,
    WithdrawConsentForm,
)
from jobseekers.models import AidRequest, Consent, JobSeeker, Need

PAGE_SIZE = 20
RECORD_FORM_FIELDS = RecordForm.Meta.fields


def _list_crumb():
    return {"url": reverse("jobseekers:list"), "title": "Personnes suivies"}


def _record_crumbs(record: JobSeeker):
    return [_list_crumb(), {"url": record.get_absolute_url(), "title": record.full_name}]


def _record_and_organisation(request, pk: int):
    record = selectors.get_visible_record(request.user, pk)
    organisation = selectors.acting_organisation(
        request.user, record, preferred=current_organisation(request)
    )
    return record, organisation


def _list_organisation(request):
    """The organisation a list is read for in the audit log: the current one when it follows people."""
    organisations = selectors.record_organisations(request.user)
    current = current_organisation(request)
    if current is not None and organisations.filter(pk=current.pk).exists():
        return current
    return organisations.order_by("name").first()


def _form_errors_to_messages(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


def record_list(request):
    organisations = selectors.record_organisations(request.user)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = Paginator(selectors.search_records(request.user, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    records = list(page.object_list)
    if records:
        services.read_records(
            jobseekers=records,
            user=request.user,
            organisation=_list_organisation(request),
            request=request,
            reason="Liste des personnes suivies",
        )
    return render(
        request,
        "jobseekers/record_list.html",
        {
            "title": "Personnes suivies",
            "breadcrumb_links": [],
            "form": form,
            "query": query,
            "page_query": urlencode({"q": query}) if query else "",
            "page": page,
            "records": records,
            "may_create": organisations.exists(),
            "may_see_dashboard": selectors.may_see_dashboard(request.user),
        },
    )


def aid_request_list(request):
    form = AidRequestFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = Paginator(selectors.visible_aid_requests(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    organisation = _list_organisation(request)
    for aid_request in page.object_list:
        services.read_aid_request(
            aid_request=aid_request,
            user=request.user,
            organisation=organisation,
            request=request,
            reason="Liste des demandes d'aide",
        )
    return render(
        request,
        "jobseekers/aid_request_list.html",
        {
            "title": "Demandes d'aide",
            "breadcrumb_links": [_list_crumb()],
            "form": form,
            "page": page,
            "page_query": urlencode({"status": status}) if status else "",
        },
    )


def record_create(request):
    organisations = selectors.record_organisations(request.user)
    organisation = current_organisation(request)
    if organisation is None or not organisations.filter(pk=organisation.pk).exists():
        organisation = organisations.order_by("name").first()
    if organisation is None:
        raise PermissionDenied(
            "Seuls les conseillers et responsables d'une organisation suivent des personnes."
        )
    form = CreateRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in RECORD_FORM_FIELDS}
        consent = None
        if form.cleaned_data["share_consent"]:
            consent = {"scope": Consent.Scope.SHARE_RECORD, "method": form.cleaned_data["consent_method"]}
        try:
            record = services.create_record(
                data=data, user=request.user, organisation=organisation, consent=consent, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Le dossier de {record.full_name} est créé, suivi par {organisation}.")
            return redirect(record)
    return render(
        request,
        "jobseekers/record_form.html",
        {
            "title": "Nouvelle personne suivie",
            "breadcrumb_links": [_list_crumb()],
            "form": form,
            "organisation": organisation,
            "creating": True,
        },
    )


def record_detail(request, pk: int):
    record, organisation = _record_and_organisation(request, pk)
    services.read_record(jobseeker=record, user=request.user, organisation=organisation, request=request)
    today = timezone.localdate()
    followups = selectors.active_followups(record)
    aid_requests = record.aid_requests.select_related("aid", "organisation").order_by("-created_at")
    return render(
        request,
        "jobseekers/record_detail.html",
        {
            "title": record.full_name,
            "breadcrumb_links": [_list_crumb()],
            "record": record,
            "organisation": organisation,
            "age": record.age_on(today),
            "children_ages": record.children_ages_on(today),
            "followups": followups,
            "past_followups": record.followups.exclude(pk__in=followups.values("pk"))
            .select_related("organisation")
            .order_by("-until"),
            "share_consent": selectors.current_consent(record),
            "consents": record.consents.select_related("recorded_by", "withdrawn_by", "organisation"),
            "needs": record.needs.select_related("place_commune")[:5],
            "aid_requests": aid_requests,
            "year": today.year,
            "granted": selectors.granted_in_year(record, year=today.year),
            "warnings": selectors.open_warnings(record),
            "consent_form": ConsentForm(),
            "followup_form": FollowUpForm(exclude=list(selectors.following_organisations_of(record))),
        },
    )


def record_edit(request, pk: int):
    record, organisation = _record_and_organisation(request, pk)
    form = RecordForm(request.POST or None, instance=JobSeeker.objects.get(pk=record.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in RECORD_FORM_FIELDS}
        try:
            changes = services.update_record(
                jobseeker=record, data=data, user=request.user, organisation=organisation, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Dossier mis à jour." if changes else "Aucune modification.")
            return redirect(record)
    if request.method == "GET":
        services.read_record(
            jobseeker=record,
            user=request.user,
            organisation=organisation,
            request=request,
            reason="Modification",
        )
    return render(
        request,
        "jobseekers/record_form.html",
        {
            "title": "Modifier le dossier",
            "breadcrumb_links": _record_crumbs(record),
            "form": form,
            "record": record,
            "organisation": organisation,
        },
    )


@require_POST
def followup_add(request, pk: int):
    record, organisation = _record_and_organisation(request, pk)
    form = FollowUpForm(request.POST, exclude=list(selectors.following_organisations_of(record)))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(record)
    try:
        services.add_followup(
            jobseeker=record,
            organisation=form.cleaned_data["organisation"],
            since=form.cleaned_data["since"],
            user=request.user,
            acting_organisation=organisation,
            request=request,
        )
    except ValidationError as error:
        _form_errors_to_messages(request, error)
    else:
        messages.success(request, f"{form.cleaned_data['organisation']} suit désormais la personne.")
    return redirect(record)


def followup_end(request, pk: int, followup_pk: int):
    record, organisation = _record_and_organisation(request, pk)
    followup = get_object_or_404(selectors.active_followups(record), pk=followup_pk)
    if not selectors.record_organisations(request.user).filter(pk=followup.organisation_id).exists():
        raise Http404("Seule l'organisation concernée peut terminer son suivi.")
    form = EndFollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_followup(
                followup=followup,
                user=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("until", error)
        else:
            messages.success(request, f"Le suivi par {followup.organisation} est terminé.")
            if selectors.visible_records(request.user).filter(pk=record.pk).exists():
                return redirect(record)
            return redirect("jobseekers:list")
    return render(
        request,
        "jobseekers/confirm_form.html",
        {
            "title": f"Terminer le suivi par {followup.organisation}",
            "breadcrumb_links": _record_crumbs(record),
            "form": form,
            "record": record,
            "submit": "Terminer le suivi",
            "intro": "Si plus aucune organisation ne suit la personne, son dossier sera anonymisé deux ans après "
            "la fin du dernier suivi.",
        },
    )


@require_POST
def consent_add(request, pk: int):
    record, organisation = _record_and_organisation(request, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(record)
    try:
        services.record_consent(
            jobseeker=record,
            user=request.user,
            organisation=organisation,
            request=request,
            **form.cleaned_data,
        )
    except ValidationError as error:
        _form_errors_to_messages(request, error)
    else:
        messages.success(request, "Consentement enregistré.")
    return redirect(record)


def consent_withdraw(request, pk: int, consent_pk: int):
    record, organisation = _record_and_organisation(request, pk)
    consent = get_object_or_404(record.consents.filter(withdrawn_at__isnull=True), pk=consent_pk)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = services.withdraw_consent(
            consent=consent,
            user=request.user,
            organisation=organisation,
            note=form.cleaned_data["note"],
            request=request,
        )
        text = "Consentement retiré."
        if ended:
            text += " Suivi terminé pour : " + ", ".join(str(f.organisation) for f in ended) + "."
        messages.success(request, text)
        return redirect(record)
    intro = ""
    if consent.scope == Consent.Scope.SHARE_RECORD:
        others = selectors.following_organisations_of(record).exclude(pk=organisation.pk)
        intro = (
            f"Le dossier ne sera plus partagé : seule {organisation} continuera de suivre la personne."
            + (f" Le suivi par {', '.join(map(str, others))} sera terminé aujourd'hui." if others else "")
        )
    return render(
        request,
        "jobseekers/confirm_form.html",
        {
            "title": f"Retirer le consentement : {consent.get_scope_display().lower()}",
            "breadcrumb_links": _record_crumbs(record),
            "form": form,
            "record": record,
            "submit": "Retirer le consentement",
            "intro": intro,
        },
    )


# --- Simulation and aid requests -------------------------------------------------------------------------------


def need_create(request, pk: int):
    record, organisation = _record_and_organisation(request, pk)
    initial = {}
    if (offer_id := request.GET.get("offre", "")).isdigit():  # from an offer's page
        initial = {"offer": offer_id, "kind": Need.Kind.JOB_START}
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in NeedForm.Meta.fields}
        try:
            need = services.create_need(
                jobseeker=record, data=data, user=request.user, organisation=organisation, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            services.run_simulation(need=need, user=request.user, organisation=organisation, request=request)
            return redirect("jobseekers:need", pk=record.pk, need_pk=need.pk)
    if request.method == "GET":
        services.read_record(
            jobseeker=record,
            user=request.user,
            organisation=organisation,
            request=request,
            reason="Simulation",
        )
    return render(
        request,
        "jobseekers/need_form.html",
        {
            "title": "Simuler les aides pour un projet",
            "breadcrumb_links": _record_crumbs(record),
            "form": form,
            "record": record,
        },
    )


def need_detail(request, pk: int, need_pk: int):
    record, organisation = _record_and_organisation(request, pk)
    need = get_object_or_404(record.needs.select_related("place_commune"), pk=need_pk)
    if request.method == "POST":  # run the simulation again (the record or the catalogue changed)
        services.run_simulation(need=need, user=request.user, organisation=organisation, request=request)
        messages.success(request, "Simulation relancée avec les informations à jour du dossier.")
        return redirect("jobseekers:need", pk=record.pk, need_pk=need.pk)
    services.read_record(
        jobseeker=record,
        user=request.user,
        organisation=organisation,
        request=request,
        reason=f"Résultat de simulation (projet n° {need.pk})",
    )
    aids = Aid.objects.in_bulk([result["id"] for result in need.results])
    groups = {"eligible": [], "undetermined": [], "not_eligible": []}
    requested = set(record.aid_requests.filter(need=need).values_list("aid_id", flat=True))
    open_requests = selectors.open_requests(record)
    for result in need.results:
        aid = aids.get(result["id"])
        if aid is None:
            continue
        amount = None if result.get("amount") is None else Decimal(str(result["amount"]))
        groups.setdefault(result["status"], []).append(
            {
                "result": result,
                "aid": aid,
                "status_label": STATUS_LABELS.get(result["status"], result["status"]),
                "alternatives": [aids[a].label for a in result.get("alternatives", []) if a in aids],
                "warnings": selectors.aid_warnings(
                    record=record, aid=aid, amount=amount, requests=open_requests
                )
                if result["status"] != "not_eligible"
                else [],
                "requested": aid.pk in requested,
            }
        )
    return render(
        request,
        "jobseekers/need_detail.html",
        {
            "title": "Aides mobilisables",
            "breadcrumb_links": _record_crumbs(record),
            "record": record,
            "need": need,
            "groups": groups,
            "counts": {key: len(value) for key, value in groups.items()},
        },
    )


def aid_request_create(request, pk: int):
    record, organisation = _record_and_organisation(request, pk)
    need = None
    if need_pk := request.GET.get("projet") or request.POST.get("projet"):
        if not str(need_pk).isdigit():
            raise Http404("Projet inconnu.")
        need = get_object_or_404(record.needs, pk=need_pk)
    initial = {}
    aid_id = request.GET.get("aide")
    result = need.result_for(aid_id) if (need and aid_id) else None
    if aid_id:
        initial["aid"] = aid_id
        if result and result.get("amount") is not None:
            initial["amount_requested"] = Decimal(str(result["amount"])).quantize(Decimal("0.01"))
    form = AidRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            aid_request = services.create_aid_request(
                jobseeker=record,
                aid=form.cleaned_data["aid"],
                need=need,
                amount_requested=form.cleaned_data["amount_requested"],
                consent_given_on=form.cleaned_data["consent_given_on"],
                consent_method=form.cleaned_data["consent_method"],
                notes=form.cleaned_data["notes"],
                user=request.user,
                organisation=organisation,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Demande « {aid_request.aid.label} » enregistrée : à envoyer.")
            return redirect(aid_request)
    chosen = form.cleaned_data.get("aid") if form.is_bound and form.is_valid() else None
    if chosen is None and aid_id:
        chosen = Aid.objects.filter(pk=aid_id).first()
    warnings = selectors.aid_warnings(record=record, aid=chosen) if chosen else []
    return render(
        request,
        "jobseekers/aid_request_form.html",
        {
            "title": "Nouvelle demande d'aide",
            "breadcrumb_links": _record_crumbs(record),
            "form": form,
            "record": record,
            "need": need,
            "aid": chosen,
            "result": result,
            "warnings": warnings,
        },
    )


def aid_request_detail(request, pk: int, request_pk: int):
    record, organisation = _record_and_organisation(request, pk)
    aid_request = selectors.get_visible_aid_request(request.user, record=record, pk=request_pk)
    documents_form = DocumentsForm(request.POST or None, aid_request=aid_request)
    if request.method == "POST" and documents_form.is_valid():
        services.update_aid_request(
            aid_request=aid_request,
            data=documents_form.changes(),
            user=request.user,
            organisation=organisation,
            request=request,
        )
        messages.success(request, "Demande mise à jour.")
        return redirect(aid_request)
    services.read_aid_request(
        aid_request=aid_request, user=request.user, organisation=organisation, request=request
    )
    return _render_aid_request(
        request, record, aid_request, documents_form, StatusForm(aid_request=aid_request)
    )


def _render_aid_request(request, record, aid_request, documents_form, status_form):
    return render(
        request,
        "jobseekers/aid_request_detail.html",
        {
            "title": f"Demande : {aid_request.aid.label}",
            "breadcrumb_links": _record_crumbs(record),
            "record": record,
            "aid_request": aid_request,
            "events": aid_request.events.select_related("by"),
            "documents_form": documents_form,
            "status_form": status_form if aid_request.next_statuses else None,
            "warnings": selectors.aid_warnings(
                record=record,
                aid=aid_request.aid,
                amount=aid_request.amount_requested,
                exclude_pk=aid_request.pk,
            )
            if not aid_request.is_granted and aid_request.status != AidRequest.Status.REFUSED
            else [],
        },
    )


@require_POST
def aid_request_status(request, pk: int, request_pk: int):
    record, organisation = _record_and_organisation(request, pk)
    aid_request = selectors.get_visible_aid_request(request.user, record=record, pk=request_pk)
    form = StatusForm(request.POST, aid_request=aid_request)
    if form.is_valid():
        try:
            services.change_status(
                aid_request=aid_request,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                amount_granted=form.cleaned_data["amount_granted"],
                note=form.cleaned_data["note"],
                user=request.user,
                organisation=organisation,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Statut de la demande : {aid_request.get_status_display().lower()}.")
            return redirect(aid_request)
    documents_form = DocumentsForm(aid_request=aid_request)
    return _render_aid_request(request, record, aid_request, documents_form, form)


# --- Dashboard ---------------------------------------------------------------------------------------------------


def _summary_from(request):
    if not selectors.may_see_dashboard(request.user):
        raise PermissionDenied(
            "Tableau de bord réservé aux conseillers, responsables et membres des comités."
        )
    form = DashboardForm(request.GET or None)
    if form.is_bound and form.is_valid():
        summary = selectors.aid_requests_summary(
            territory=form.get_territory(), start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    elif form.is_bound:
        summary = None
    else:
        summary = selectors.aid_requests_summary()
    return form, summary


CHART_ROW_HEIGHT = 44
CHART_BAR_X = 300
CHART_BAR_WIDTH = 380


def _bar_chart(rows: list[dict]) -> dict:
    """Coordinates of a horizontal bar chart (requests and grants per aid) in a 800-wide SVG viewBox."""
    top = max((row["requested"] for row in rows), default=0)
    bars = [
        {
            **row,
            "y": index * CHART_ROW_HEIGHT,
            "requested_width": round(CHART_BAR_WIDTH * row["requested"] / top, 1) if top else 0,
            "granted_width": round(CHART_BAR_WIDTH * row["granted"] / top, 1) if top else 0,
        }
        for index, row in enumerate(rows)
    ]
    for bar in bars:
        bar["requested_label_x"] = CHART_BAR_X + bar["requested_width"] + 5
        bar["granted_label_x"] = CHART_BAR_X + bar["granted_width"] + 5
    return {"bars": bars, "height": (len(rows) + 1) * CHART_ROW_HEIGHT, "bar_x": CHART_BAR_X}


def dashboard(request):
    form, summary = _summary_from(request)
    by_aid = summary.by("aid") if summary else []
    chart = _bar_chart(by_aid)
    return render(
        request,
        "jobseekers/dashboard.html",
        {
            "title": "Tableau de bord des aides mobilisées",
            "breadcrumb_links": [],
            "form": form,
            "summary": summary,
            "by_aid": by_aid,
            "by_institution": summary.by("institution") if summary else [],
            "by_bassin": summary.by("bassin") if summary else [],
            "chart": chart,
            "query": request.GET.urlencode(),
        },
    )


def dashboard_csv(request):
    form, summary = _summary_from(request)
    if summary is None:
        return redirect(f"{reverse('jobseekers:dashboard')}?{request.GET.urlencode()}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aides-mobilisees.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "aide_id",
            "aide",
            "organisme",
            "bassin_code",
            "bassin",
            "demandes",
            "accordees",
            "refusees",
            "montant_demande",
            "montant_accorde",
        ]
    )
    for row in summary.rows:
        writer.writerow(
            [
                row.aid_id,
                row.aid_label,
                row.institution,
                row.bassin_code,
                row.bassin_name,
                row.requested,
                row.granted,
                row.refused,
                f"{row.amount_requested:.2f}",
                f"{row.amount_granted:.2f}",
            ]
        )
    return response
