"""Public pages: the catalogue by theme and territory, an aid's page, the simulator (plain forms, answers kept in
the session: works without JavaScript). Managers and administrators edit the catalogue, with its history."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import has_role, is_administrator
from aids.engine.declarative import territory_label
from aids.forms import STEPS, AidForm, CatalogueSearchForm
from aids.models import Aid, Theme
from aids.results import ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED
from aids.selectors import catalogue_for_engine, filter_catalogue
from aids.services import evaluate, save_aid
from aids.situations import Need, Person, Situation

SESSION_KEY = "aids_simulator"


def can_edit_catalogue(user) -> bool:
    return is_administrator(user) or has_role(user, Role.MANAGER, Role.ADMINISTRATOR)


def _breadcrumb(*links):
    return [{"url": reverse("aids:catalogue"), "title": "Aides à la mobilité"}, *links]


@login_not_required
def catalogue(request):
    form = CatalogueSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    aids = filter_catalogue(
        theme=filters.get("theme", ""), departement=filters.get("departement", ""), query=filters.get("q", "")
    )
    for aid in aids:
        aid.territory_label = "France entière" if aid.is_national else territory_label(aid)
    groups = []
    for value, label in Theme.choices:
        items = [aid for aid in aids if aid.theme == value]
        if items:
            groups.append({"label": label, "aids": items})
    return render(
        request,
        "aids/catalogue.html",
        {
            "title": "Aides à la mobilité et à la levée des freins",
            "form": form,
            "groups": groups,
            "count": len(aids),
            "can_edit": can_edit_catalogue(request.user),
        },
    )


@login_not_required
def detail(request, aid_id):
    aid = Aid.objects.filter(pk=aid_id).first() or _packaged(aid_id)
    if not aid.is_published and not can_edit_catalogue(request.user):
        raise Http404("Aide introuvable.")  # an aid in preparation does not exist for the public
    can_edit = can_edit_catalogue(request.user)
    history = []
    if can_edit:
        records = (
            []
            if aid._state.adding
            else list(aid.history.select_related("history_user").order_by("-history_date")[:30])
        )
        for newer, older in zip(records, records[1:] + [None], strict=True):
            changed = [] if older is None else [c.field for c in newer.diff_against(older).changes]
            history.append({"record": newer, "changed": changed})
    others = [a for a in catalogue_for_engine() if a.id in aid.non_cumulable_with]
    return render(
        request,
        "aids/detail.html",
        {
            "title": aid.label,
            "aid": aid,
            "can_edit": can_edit,
            "history": history,
            "non_cumulable": others,
            "breadcrumb_links": _breadcrumb(),
        },
    )


def _packaged(aid_id: str) -> Aid:
    """An aid of the packaged catalogue files, for a database where `sync-aids` has not run yet."""
    for aid in catalogue_for_engine():
        if aid.id == aid_id and aid._state.adding:
            return aid
    raise Http404("Aide introuvable.")


def edit(request, aid_id=None):
    if not can_edit_catalogue(request.user):
        raise PermissionDenied("Seuls les responsables et administrateurs modifient le catalogue.")
    aid = get_object_or_404(Aid, pk=aid_id) if aid_id else None
    form = AidForm(request.POST or None, instance=aid)
    if aid is None:
        from django import forms as dj_forms

        form.fields["new_id"] = dj_forms.SlugField(
            label="Identifiant (stable, en minuscules avec des tirets)"
        )
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        if aid is None:
            if Aid.objects.filter(pk=form.cleaned_data["new_id"]).exists():
                form.add_error("new_id", "Cet identifiant est déjà utilisé.")
                return render(
                    request,
                    "aids/edit.html",
                    {"title": "Nouvelle aide", "form": form, "breadcrumb_links": _breadcrumb()},
                )
            instance.id = form.cleaned_data["new_id"]
        save_aid(aid=instance, user=request.user, reason=form.cleaned_data.get("change_reason", ""))
        messages.success(request, "L'aide a été enregistrée.")
        return redirect(instance.get_absolute_url())
    title = f"Modifier : {aid.label}" if aid else "Nouvelle aide"
    links = _breadcrumb(*([{"url": aid.get_absolute_url(), "title": aid.label}] if aid else []))
    return render(
        request, "aids/edit.html", {"title": title, "form": form, "aid": aid, "breadcrumb_links": links}
    )


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def _number(value):
    return None if value in (None, "") else float(value)


def situation_from_answers(answers: dict) -> Situation:
    birth = answers.get("birth_date")
    category = answers.get("job_seeker_category")
    person = Person(
        birth_date=date.fromisoformat(birth) if birth else None,
        status=answers.get("status") or None,
        job_seeker_category=int(category) if category else None,
        registration_date=date.fromisoformat(answers["registration_date"])
        if answers.get("registration_date")
        else None,
        allowance=answers.get("allowance") or None,
        allowance_daily_amount=_number(answers.get("allowance_daily_amount")),
        household=answers.get("household") or None,
        children_ages=answers.get("children_ages"),
        monthly_income=_number(answers.get("monthly_income")),
        household_monthly_income=_number(answers.get("household_monthly_income")),
        reference_tax_income=_number(answers.get("reference_tax_income")),
        attached_to_parents=_yes_no(answers.get("attached_to_parents")),
        partner_working=_yes_no(answers.get("partner_working")),
        residence_commune=answers.get("residence_commune") or None,
        driving_licence=_yes_no(answers.get("driving_licence")),
        vehicle=_yes_no(answers.get("vehicle")),
        disability=_yes_no(answers.get("disability")),
        mission_locale_follow_up=_yes_no(answers.get("mission_locale_follow_up")),
    )
    need = Need(
        kind=answers.get("kind") or None,
        place_commune=answers.get("place_commune") or None,
        contract_type=answers.get("contract_type") or None,
        contract_months=_number(answers.get("contract_months")),
        weekly_hours=_number(answers.get("weekly_hours")),
        training_hours=_number(answers.get("training_hours")),
        training_funded=_yes_no(answers.get("training_funded")),
        start_date=date.fromisoformat(answers["start_date"]) if answers.get("start_date") else None,
        round_trips=answers.get("round_trips"),
        meals=answers.get("meals"),
        nights=answers.get("nights"),
    )
    return Situation(person=person, need=need)


@login_not_required
def simulator(request):
    answers = request.session.get(SESSION_KEY, {})
    if request.GET.get("recommencer") is not None:
        request.session.pop(SESSION_KEY, None)
        return redirect("aids:simulator")
    try:
        step = min(max(int(request.POST.get("step") or request.GET.get("etape") or 1), 1), len(STEPS) + 1)
    except ValueError:
        step = 1
    if step > len(STEPS):
        return redirect("aids:results")
    form_class = STEPS[step - 1]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            answers.update(form.answers())
            request.session[SESSION_KEY] = answers
            if "previous" in request.POST:
                return redirect(f"{reverse('aids:simulator')}?etape={step - 1}")
            if step == len(STEPS):
                return redirect("aids:results")
            return redirect(f"{reverse('aids:simulator')}?etape={step + 1}")
    else:
        initial = dict(answers)
        if isinstance(initial.get("children_ages"), list):
            initial["children_ages"] = ", ".join(map(str, initial["children_ages"])) or "aucun"
        form = form_class(initial=initial)
    return render(
        request,
        "aids/simulator.html",
        {
            "title": "Simulateur d'aides à la mobilité",
            "form": form,
            "step": step,
            "steps": len(STEPS),
            "step_title": form_class.title,
            "next_title": STEPS[step].title if step < len(STEPS) else "Vos aides",
            "breadcrumb_links": _breadcrumb(),
        },
    )


@login_not_required
def results(request):
    answers = request.session.get(SESSION_KEY)
    if not answers:
        return redirect("aids:simulator")
    situation = situation_from_answers(answers)
    catalogue_aids = catalogue_for_engine()
    found = evaluate(situation=situation, aids=catalogue_aids)
    aids = {a.id: a for a in catalogue_aids}
    rows = [{"result": r, "aid": aids.get(r.aid_id)} for r in found]
    return render(
        request,
        "aids/results.html",
        {
            "title": "Vos aides",
            "breadcrumb_links": _breadcrumb(),
            "eligible": [row for row in rows if row["result"].status == ELIGIBLE],
            "undetermined": [row for row in rows if row["result"].status == UNDETERMINED],
            "not_eligible": [row for row in rows if row["result"].status == NOT_ELIGIBLE],
            "steps": len(STEPS),
        },
    )
