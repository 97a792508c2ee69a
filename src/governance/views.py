from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from governance import charts, exports, indicators, selectors, services
from governance.forms import (
    AgendaItemForm,
    AttendanceForm,
    CommitmentForm,
    CommitteeForm,
    DocumentForm,
    FollowUpActionForm,
    IndicatorForm,
    MeasurementForm,
    MeetingForm,
    MemberForm,
    MilestoneForm,
    MotionForm,
    ProxyForm,
    SheetForm,
    StatusForm,
    TargetForm,
    VoteForm,
)
from governance.ical import meeting_ics
from governance.models import (
    ActionSheet,
    Attendance,
    Commitment,
    Committee,
    FollowUpAction,
    Indicator,
    Level,
    Meeting,
    MeetingDocument,
    Member,
    Milestone,
    Motion,
    Protocol,
)
from governance.permissions import (
    can_create_committee,
    can_edit_protocol,
    can_manage_committee,
    can_read_documents,
    can_update_sheet,
)
from territories.models import Region

HOME = {"url": "/gouvernance/", "title": "Gouvernance"}


def _crumbs(*links):
    return [HOME, *links]


def _committee_crumb(committee):
    return {"url": committee.get_absolute_url(), "title": committee.name}


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied("Vous n'avez pas les droits pour cette action.")


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- overview, committees ---------------------------------------------------------------------------------


def home(request):
    committees = Committee.objects.select_related("region", "departement", "parent").annotate(
        member_count=Count("members", filter=Q(members__seat=Member.Seat.TITULAR))
    )
    level_filter = request.GET.get("niveau", "")
    if level_filter in Level.values:
        committees = committees.filter(level=level_filter)
    mine = selectors.committees_of(request.user)
    return render(
        request,
        "governance/home.html",
        {
            "title": "Gouvernance",
            "breadcrumb_links": [],
            "mine": mine,
            "upcoming": Meeting.objects.filter(committee__in=mine, starts_at__gte=timezone.now())
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("committee")
            .order_by("starts_at")[:10],
            "my_seats": Member.objects.filter(user=request.user).select_related("committee"),
            "today": timezone.localdate(),
            "committees": committees.order_by("level", "name"),
            "levels": Level.choices,
            "level_filter": level_filter,
            "protocols": Protocol.objects.select_related("region"),
            "can_create": can_create_committee(request.user),
            "region_code": settings.REGION_CODE,
        },
    )


def committee_detail(request, pk):
    committee = get_object_or_404(Committee.objects.select_related("region", "departement", "parent"), pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "governance/committee_detail.html",
        {
            "title": committee.name,
            "breadcrumb_links": _crumbs(),
            "committee": committee,
            "chairs": services.current_chairs(committee, today),
            "chair_problems": selectors.composition(committee, on=today)["chair_problems"],
            "meetings": committee.meetings.all(),
            "children": committee.children.all(),
            "actions": FollowUpAction.objects.filter(motion__meeting__committee=committee).select_related(
                "owner", "motion__meeting"
            ),
            "today": timezone.localdate(),
            "can_manage": can_manage_committee(request.user, committee),
            "is_member": committee.members.filter(user=request.user).exists(),
        },
    )


def committee_edit(request, pk=None):
    committee = get_object_or_404(Committee, pk=pk) if pk else Committee()
    _require(can_manage_committee(request.user, committee) if pk else can_create_committee(request.user))
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.save_committee(
                form.save(commit=False), communes=form.cleaned_data["commune_codes"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Comité « {committee} » enregistré.")
            return redirect(committee)
    title = f"Modifier {committee}" if pk else "Nouveau comité pour l'emploi"
    return render(
        request,
        "governance/form.html",
        {
            "title": title,
            "breadcrumb_links": _crumbs(*([_committee_crumb(committee)] if pk else [])),
            "form": form,
            "intro": "Chaque niveau est rattaché à son territoire ; un comité local l'est à une zone d'emploi, un bassin, "
            "un EPCI ou un ensemble de communes de son département.",
        },
    )


def composition(request, pk):
    committee = get_object_or_404(Committee, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "governance/composition.html",
        {
            "title": f"Composition — {committee}",
            "breadcrumb_links": _crumbs(_committee_crumb(committee)),
            "committee": committee,
            "today": today,
            "rule": services.size_rule(committee.level),
            **selectors.composition(committee, on=today),
            "can_manage": can_manage_committee(request.user, committee),
        },
    )


def member_edit(request, pk=None, committee_pk=None):
    member = get_object_or_404(Member.objects.select_related("committee"), pk=pk) if pk else None
    committee = member.committee if member else get_object_or_404(Committee, pk=committee_pk)
    _require(can_manage_committee(request.user, committee))
    form = MemberForm(request.POST or None, instance=member, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_member(form.save(commit=False))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{saved} enregistré(e), mandat jusqu'au {saved.mandate_end:%d/%m/%Y}.")
            return redirect("governance:composition", committee.pk)
    return render(
        request,
        "governance/form.html",
        {
            "title": f"Modifier {member}" if member else "Nouveau membre",
            "breadcrumb_links": _crumbs(
                _committee_crumb(committee),
                {"url": reverse("governance:composition", args=[committee.pk]), "title": "Composition"},
            ),
            "form": form,
        },
    )


# --- meetings ---------------------------------------------------------------------------------------------


def meeting_create(request, committee_pk):
    committee = get_object_or_404(Committee, pk=committee_pk)
    _require(can_manage_committee(request.user, committee))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.committee = committee
        meeting.save()
        messages.success(request, "Réunion créée : préparez son ordre du jour puis envoyez les convocations.")
        return redirect(meeting)
    return render(
        request,
        "governance/form.html",
        {
            "title": "Nouvelle réunion",
            "breadcrumb_links": _crumbs(_committee_crumb(committee)),
            "form": form,
        },
    )


def meeting_edit(request, pk):
    meeting = _meeting(pk)
    _require(can_manage_committee(request.user, meeting.committee))
    form = MeetingForm(request.POST or None, instance=meeting, with_status=True)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Réunion mise à jour. Renvoyez les convocations pour prévenir les membres.")
        return redirect(meeting)
    return render(
        request,
        "governance/form.html",
        {
            "title": f"Modifier « {meeting.title} »",
            "breadcrumb_links": _crumbs(
                _committee_crumb(meeting.committee),
                {"url": meeting.get_absolute_url(), "title": meeting.title},
            ),
            "form": form,
        },
    )


def _meeting(pk):
    return get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)


def meeting_detail(request, pk):
    meeting = _meeting(pk)
    can_manage = can_manage_committee(request.user, meeting.committee)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "title": meeting.title,
            "breadcrumb_links": _crumbs(_committee_crumb(meeting.committee)),
            "meeting": meeting,
            "agenda": meeting.agenda_items.prefetch_related("documents"),
            "documents": meeting.documents.select_related("agenda_item"),
            "can_read_documents": can_read_documents(request.user, meeting.committee),
            "invitations": meeting.invitations.select_related("member"),
            "motions": meeting.motions.prefetch_related("actions__owner"),
            "can_manage": can_manage,
            "agenda_form": AgendaItemForm(initial={"order": meeting.agenda_items.count() + 1})
            if can_manage
            else None,
            "document_form": DocumentForm(meeting=meeting) if can_manage else None,
            "quorum": services.quorum(meeting),
        },
    )


@require_POST
def agenda_add(request, pk):
    meeting = _meeting(pk)
    _require(can_manage_committee(request.user, meeting.committee))
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        item.save()
        messages.success(request, f"Point « {item.title} » ajouté à l'ordre du jour.")
    else:
        messages.error(
            request, "Point non ajouté : " + "; ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(meeting)


@require_POST
def document_add(request, pk):
    meeting = _meeting(pk)
    _require(can_manage_committee(request.user, meeting.committee))
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        document = form.save(commit=False)
        document.meeting, document.uploaded_by = meeting, request.user
        document.save()
        messages.success(request, f"Document « {document.title} » déposé.")
    else:
        messages.error(
            request, "Document non déposé : " + "; ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(meeting)


def document_download(request, pk):
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting__committee"), pk=pk)
    if not can_read_documents(request.user, document.meeting.committee):
        raise Http404("Document introuvable.")  # private to the committee: its id does not exist for others
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@require_POST
def invite(request, pk):
    meeting = _meeting(pk)
    _require(can_manage_committee(request.user, meeting.committee))
    invited, missing = services.send_invitations(
        meeting=meeting, user=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    messages.success(request, f"{len(invited)} convocation(s) envoyée(s) avec l'invitation agenda.")
    if missing:
        messages.warning(
            request, "Sans adresse électronique, à convoquer autrement : " + ", ".join(map(str, missing))
        )
    return redirect(meeting)


def meeting_ical(request, pk):
    meeting = _meeting(pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


def _session_context(request, meeting, *, errors=()):
    day = timezone.localdate(meeting.starts_at)
    members = sorted(
        services.current_members(meeting.committee, day).select_related("substitute_for", "organisation"),
        key=lambda m: (m.seat != Member.Seat.TITULAR, m.chair == "", m.college, m.full_name),
    )
    attendances = {a.member_id: a for a in meeting.attendances.select_related("proxy_holder")}
    seats = services.voting_seats(meeting)
    sitting = services.sitting_for(meeting)
    sitting_ids = {m.pk for m in sitting.values()}
    return {
        "meeting": meeting,
        "rows": [{"member": m, "attendance": attendances.get(m.pk)} for m in members],
        "quorum": services.quorum(meeting),
        "errors": errors,
        "statuses": Attendance.Status.choices,
        "proxy_form": ProxyForm(
            givers=Member.objects.filter(pk__in=[s.pk for s in seats if s.pk not in sitting]),
            holders=Member.objects.filter(pk__in=sitting_ids),
        ),
        "can_manage": can_manage_committee(request.user, meeting.committee),
    }


def meeting_session(request, pk):
    meeting = _meeting(pk)
    can_manage = can_manage_committee(request.user, meeting.committee)
    return render(
        request,
        "governance/meeting_session.html",
        {
            "title": f"Séance — {meeting.title}",
            "breadcrumb_links": _crumbs(
                _committee_crumb(meeting.committee),
                {"url": meeting.get_absolute_url(), "title": meeting.title},
            ),
            **_session_context(request, meeting),
            "motions": meeting.motions.prefetch_related("actions__owner"),
            "motion_form": MotionForm(meeting=meeting) if can_manage else None,
        },
    )


def _session_response(request, meeting, errors=()):
    if request.htmx:
        return render(
            request, "governance/_session_panel.html", _session_context(request, meeting, errors=errors)
        )
    for error in errors:
        messages.error(request, error)
    return redirect("governance:session", meeting.pk)


@require_POST
def attendance_set(request, pk):
    meeting = _meeting(pk)
    _require(can_manage_committee(request.user, meeting.committee))
    day = timezone.localdate(meeting.starts_at)
    form = AttendanceForm(request.POST, members=services.current_members(meeting.committee, day))
    errors = []
    if form.is_valid():
        try:
            services.set_attendance(
                meeting=meeting, member=form.cleaned_data["member"], status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            errors = exc.messages
    else:
        errors = ["Présence non enregistrée : membre ou statut invalide."]
    return _session_response(request, meeting, errors)


@require_POST
def proxy_set(request, pk):
    meeting = _meeting(pk)
    _require(can_manage_committee(request.user, meeting.committee))
    members = meeting.committee.members.all()
    form = ProxyForm(request.POST, givers=members, holders=members)
    errors = []
    if form.is_valid():
        try:
            services.give_proxy(
                meeting=meeting, giver=form.cleaned_data["giver"], holder=form.cleaned_data["holder"]
            )
        except ValidationError as exc:
            errors = exc.messages
    else:
        errors = ["Pouvoir non enregistré : choisissez le membre qui donne pouvoir."]
    return _session_response(request, meeting, errors)


def quorum_partial(request, pk):
    meeting = _meeting(pk)
    return render(
        request, "governance/_quorum.html", {"meeting": meeting, "quorum": services.quorum(meeting)}
    )


@require_POST
def motion_add(request, pk):
    meeting = _meeting(pk)
    _require(can_manage_committee(request.user, meeting.committee))
    form = MotionForm(request.POST, meeting=meeting)
    if form.is_valid():
        motion = form.save(commit=False)
        motion.meeting = meeting
        motion.save()
        return redirect("governance:vote", motion.pk)
    messages.error(
        request, "Délibération non créée : " + "; ".join(e for errs in form.errors.values() for e in errs)
    )
    return redirect("governance:session", meeting.pk)


def vote(request, pk):
    motion = get_object_or_404(Motion.objects.select_related("meeting__committee"), pk=pk)
    meeting = motion.meeting
    _require(can_manage_committee(request.user, meeting.committee))
    if motion.outcome != Motion.Outcome.PENDING:
        messages.info(request, "Cette délibération a déjà été votée.")
        return redirect("governance:session", meeting.pk)
    casters = services.ballot_casters(meeting)
    seats = {m.pk: m for m in services.voting_seats(meeting)}
    form = VoteForm(request.POST or None, casters=casters, seats=seats)
    state = services.quorum(meeting)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_vote(motion=motion, choices=form.choices(), user=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"« {motion.title} » : {result.explanation} (pour {result.votes_for}, contre "
                f"{result.votes_against}, abstentions {result.abstentions}).",
            )
            return redirect("governance:session", meeting.pk)
    return render(
        request,
        "governance/vote.html",
        {
            "title": f"Vote — {motion.title}",
            "breadcrumb_links": _crumbs(
                _committee_crumb(meeting.committee),
                {"url": reverse("governance:session", args=[meeting.pk]), "title": "Séance"},
            ),
            "motion": motion,
            "form": form,
            "quorum": state,
            "state_chair": services.state_chair(meeting),
        },
    )


def action_add(request, pk):
    motion = get_object_or_404(Motion.objects.select_related("meeting__committee"), pk=pk)
    _require(can_manage_committee(request.user, motion.meeting.committee))
    form = FollowUpActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_follow_up_action(motion=motion, action=form.save(commit=False))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Action de suivi créée.")
            return redirect("governance:session", motion.meeting_id)
    return render(
        request,
        "governance/form.html",
        {
            "title": f"Action de suivi — {motion.title}",
            "breadcrumb_links": _crumbs(
                _committee_crumb(motion.meeting.committee),
                {"url": reverse("governance:session", args=[motion.meeting_id]), "title": "Séance"},
            ),
            "form": form,
            "intro": f"Décision : « {motion.title} » ({motion.get_outcome_display()}).",
        },
    )


@require_POST
def action_status(request, pk):
    action = get_object_or_404(FollowUpAction.objects.select_related("motion__meeting__committee"), pk=pk)
    _require(can_manage_committee(request.user, action.motion.meeting.committee))
    status = request.POST.get("status", "")
    if status in FollowUpAction.Status.values:
        services.update_follow_up_status(action=action, status=status)
        messages.success(request, f"« {action} » : {action.get_status_display()}.")
    return redirect(
        request.POST.get("next") or reverse("governance:session", args=[action.motion.meeting_id])
    )


def minutes_pdf(request, pk):
    meeting = _meeting(pk)
    response = HttpResponse(exports.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proces-verbal-{meeting.pk}.pdf"'
    return response


# --- configuration check ----------------------------------------------------------------------------------


def configuration(request):
    region = get_object_or_404(Region, pk=request.GET.get("region") or settings.REGION_CODE)
    points = selectors.configuration_check(region=region, on=timezone.localdate())
    return render(
        request,
        "governance/configuration.html",
        {
            "title": f"Vérification de la configuration — {region}",
            "breadcrumb_links": _crumbs(),
            "region": region,
            "points": points,
            "passed": sum(p.passed for p in points),
            "regions": Region.objects.all(),
        },
    )


# --- protocol, commitments, sheets, indicators ------------------------------------------------------------


def _protocol(slug):
    return get_object_or_404(Protocol.objects.select_related("region"), slug=slug)


def protocol_detail(request, slug):
    protocol = _protocol(slug)
    stakes = protocol.stakes.prefetch_related("commitments__sheets", "commitments__indicators")
    return render(
        request,
        "governance/protocol_detail.html",
        {
            "title": protocol.title,
            "breadcrumb_links": _crumbs(),
            "protocol": protocol,
            "stakes": stakes,
            "can_edit": can_edit_protocol(request.user),
        },
    )


@require_POST
def protocol_public(request, slug):
    protocol = _protocol(slug)
    _require(can_edit_protocol(request.user))
    protocol.public_summary = request.POST.get("public") == "1"
    protocol.save(update_fields=["public_summary"])
    messages.success(
        request, "Synthèse publique " + ("activée." if protocol.public_summary else "désactivée.")
    )
    return redirect(protocol)


def commitment_edit(request, slug=None, pk=None):
    commitment = get_object_or_404(Commitment.objects.select_related("protocol"), pk=pk) if pk else None
    protocol = commitment.protocol if commitment else _protocol(slug)
    _require(can_edit_protocol(request.user))
    initial = {
        "number": (protocol.commitments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    }
    form = CommitmentForm(request.POST or None, instance=commitment, protocol=protocol, initial=initial)
    if request.method == "POST" and form.is_valid():
        commitment = form.save()
        messages.success(request, f"{commitment} enregistré.")
        return redirect(commitment)
    return render(
        request,
        "governance/form.html",
        {
            "title": f"Modifier l'engagement {commitment.number}" if commitment else "Nouvel engagement",
            "breadcrumb_links": _crumbs({"url": protocol.get_absolute_url(), "title": protocol.title}),
            "form": form,
        },
    )


def commitment_detail(request, pk):
    commitment = get_object_or_404(Commitment.objects.select_related("protocol", "stake"), pk=pk)
    return render(
        request,
        "governance/commitment_detail.html",
        {
            "title": f"Engagement {commitment.number}",
            "breadcrumb_links": _crumbs(
                {"url": commitment.protocol.get_absolute_url(), "title": commitment.protocol.title}
            ),
            "commitment": commitment,
            "sheets": commitment.sheets.select_related("owner", "departement"),
            "indicators": commitment.indicators.all(),
            "can_edit": can_edit_protocol(request.user),
        },
    )


def sheet_edit(request, commitment_pk=None, pk=None):
    sheet = (
        get_object_or_404(ActionSheet.objects.select_related("commitment__protocol"), pk=pk) if pk else None
    )
    commitment = sheet.commitment if sheet else get_object_or_404(Commitment, pk=commitment_pk)
    _require(can_update_sheet(request.user, sheet) if sheet else can_edit_protocol(request.user))
    form = SheetForm(request.POST or None, instance=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            if sheet:
                sheet = form.save()
            else:
                new = form.save(commit=False)
                new.commitment = commitment
                sheet = services.create_sheet(
                    sheet=new, user=request.user, co_partners=form.cleaned_data["co_partners"]
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Fiche action « {sheet} » enregistrée.")
            return redirect(sheet)
    return render(
        request,
        "governance/form.html",
        {
            "title": f"Modifier la fiche « {sheet} »" if sheet else "Nouvelle fiche action",
            "breadcrumb_links": _crumbs(
                {"url": commitment.get_absolute_url(), "title": f"Engagement {commitment.number}"}
            ),
            "form": form,
        },
    )


def sheet_detail(request, pk):
    sheet = get_object_or_404(
        ActionSheet.objects.select_related("commitment__protocol", "owner", "departement"), pk=pk
    )
    can_update = can_update_sheet(request.user, sheet)
    status_form = StatusForm(request.POST or None) if can_update else None
    milestone_form = MilestoneForm(prefix="m") if can_update else None
    if request.method == "POST":
        _require(can_update)
        if "m-title" in request.POST:
            milestone_form = MilestoneForm(request.POST, prefix="m")
            if milestone_form.is_valid():
                milestone = milestone_form.save(commit=False)
                milestone.sheet = sheet
                milestone.save()
                messages.success(
                    request, f"{milestone.get_kind_display().capitalize()} « {milestone} » ajouté."
                )
                return redirect(sheet)
            status_form = StatusForm()
        elif "milestone_done" in request.POST:
            milestone = get_object_or_404(Milestone, pk=request.POST["milestone_done"], sheet=sheet)
            milestone.done_on = timezone.localdate()
            milestone.save(update_fields=["done_on"])
            messages.success(request, f"« {milestone} » atteint.")
            return redirect(sheet)
        elif status_form.is_valid():
            try:
                services.change_sheet_status(
                    sheet=sheet,
                    status=status_form.cleaned_data["status"],
                    reason=status_form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValidationError as exc:
                _apply_errors(status_form, exc)
            else:
                messages.success(request, f"État de la fiche : {sheet.get_status_display()}.")
                return redirect(sheet)
    return render(
        request,
        "governance/sheet_detail.html",
        {
            "title": sheet.title,
            "breadcrumb_links": _crumbs(
                {"url": sheet.commitment.get_absolute_url(), "title": f"Engagement {sheet.commitment.number}"}
            ),
            "sheet": sheet,
            "history": sheet.status_changes.select_related("changed_by"),
            "milestones": sheet.milestones.all(),
            "today": timezone.localdate(),
            "status_form": status_form,
            "milestone_form": milestone_form,
            "can_update": can_update,
        },
    )


def indicator_edit(request, commitment_pk=None, pk=None):
    indicator = get_object_or_404(Indicator.objects.select_related("commitment"), pk=pk) if pk else None
    commitment = indicator.commitment if indicator else get_object_or_404(Commitment, pk=commitment_pk)
    _require(can_edit_protocol(request.user))
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        indicator = form.save(commit=False)
        indicator.commitment = commitment
        indicator.save()
        messages.success(request, f"Indicateur « {indicator} » enregistré.")
        return redirect(indicator)
    return render(
        request,
        "governance/form.html",
        {
            "title": f"Modifier « {indicator} »" if indicator else "Nouvel indicateur",
            "breadcrumb_links": _crumbs(
                {"url": commitment.get_absolute_url(), "title": f"Engagement {commitment.number}"}
            ),
            "form": form,
            "intro": "Un indicateur calculé nomme la requête qui le calcule (liste des requêtes : "
            "Gouvernance › Requêtes d'indicateurs).",
        },
    )


def indicator_detail(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("commitment__protocol__region"), pk=pk)
    can_edit = can_edit_protocol(request.user)
    target_form = TargetForm(prefix="t")
    value_form = MeasurementForm(prefix="v", initial={"measured_on": timezone.localdate()})
    if request.method == "POST":
        _require(can_edit)
        if "t-value" in request.POST:
            target_form = TargetForm(request.POST, prefix="t")
            if target_form.is_valid():
                target = target_form.save(commit=False)
                target.indicator = indicator
                target.save()
                messages.success(request, "Cible enregistrée.")
                return redirect(indicator)
        elif "v-value" in request.POST:
            value_form = MeasurementForm(request.POST, prefix="v")
            if value_form.is_valid():
                try:
                    services.record_measurement(
                        indicator=indicator, user=request.user, **value_form.cleaned_data
                    )
                except ValidationError as exc:
                    _apply_errors(value_form, exc)
                else:
                    messages.success(request, "Valeur enregistrée.")
                    return redirect(indicator)
        elif "snapshot" in request.POST:
            try:
                services.snapshot_indicator(indicator=indicator)
                messages.success(request, "Valeur du jour enregistrée dans l'historique.")
            except (ValidationError, indicators.IndicatorUnavailable) as exc:
                messages.error(request, str(getattr(exc, "message", exc)))
            return redirect(indicator)
    view = selectors.indicator_view(indicator, on=timezone.localdate())
    return render(
        request,
        "governance/indicator_detail.html",
        {
            "title": indicator.name,
            "breadcrumb_links": _crumbs(
                {
                    "url": indicator.commitment.get_absolute_url(),
                    "title": f"Engagement {indicator.commitment.number}",
                }
            ),
            "indicator": indicator,
            "view": view,
            "chart": charts.line_chart(
                view.series,
                view.targets,
                title=indicator.name,
                unit=indicator.unit,
                chart_id=f"ind-{indicator.pk}",
            ),
            "measurements": indicator.measurements.select_related("entered_by"),
            "can_edit": can_edit,
            "target_form": target_form,
            "value_form": value_form,
        },
    )


def query_list(request):
    return render(
        request,
        "governance/query_list.html",
        {
            "title": "Requêtes d'indicateurs",
            "breadcrumb_links": _crumbs(),
            "queries": indicators.all_queries(),
        },
    )


# --- dashboard and public summary -------------------------------------------------------------------------


def _dashboard_context(protocol):
    today = timezone.localdate()
    data = selectors.dashboard(protocol, on=today)
    data["stake_chart"] = charts.progress_bars(
        data["by_stake"],
        data["statuses"],
        title="Avancement des fiches action par enjeu",
        chart_id="by-stake",
    )
    data["territory_chart"] = charts.progress_bars(
        data["by_territory"],
        data["statuses"],
        title="Avancement des fiches action par territoire",
        chart_id="by-territory",
    )
    for i, view in enumerate(data["indicators"]):
        view.chart = charts.line_chart(
            view.series,
            view.targets,
            title=view.indicator.name,
            unit=view.indicator.unit,
            chart_id=f"ind-{i}",
        )
    return today, data


def dashboard(request, slug):
    protocol = _protocol(slug)
    today, data = _dashboard_context(protocol)
    return render(
        request,
        "governance/dashboard.html",
        {
            "title": f"Tableau de bord — {protocol.title}",
            "breadcrumb_links": _crumbs({"url": protocol.get_absolute_url(), "title": protocol.title}),
            "protocol": protocol,
            "today": today,
            **data,
        },
    )


def dashboard_export(request, slug, fmt):
    if fmt not in ("pdf", "xlsx"):
        raise Http404("Format inconnu.")
    protocol = _protocol(slug)
    today = timezone.localdate()
    data = selectors.dashboard(protocol, on=today)
    if fmt == "pdf":
        response = HttpResponse(
            exports.dashboard_pdf(protocol, data, on=today), content_type="application/pdf"
        )
    else:
        response = HttpResponse(
            exports.dashboard_xlsx(protocol, data, on=today),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="tableau-de-bord-{protocol.slug}-{today}.{fmt}"'
    return response


@login_not_required
def public_summary(request, slug):
    protocol = _protocol(slug)
    if not protocol.public_summary:
        raise Http404("La synthèse publique de ce protocole n'est pas ouverte.")
    today, data = _dashboard_context(protocol)
    return render(
        request,
        "governance/public_summary.html",
        {
            "title": f"Synthèse — {protocol.title}",
            "breadcrumb_links": [],
            "protocol": protocol,
            "today": today,
            **data,
            "committees": Committee.objects.filter(region=protocol.region)
            .exclude(is_example=True)
            .order_by("level", "name"),
        },
    )
