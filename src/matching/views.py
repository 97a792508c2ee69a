from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.services import current_organisation
from jobseekers.selectors import acting_organisation, get_visible_record
from jobseekers.services import read_record
from matching import selectors, services
from matching.aid_levers import mobility_aids_for
from matching.forms import OfferFiltersForm, ReferralStatusForm, SearchProfileForm, core_skills_for
from matching.models import Referral, SearchProfile
from offers.models import Offer


def _record_for(request, pk: int, *, reason: str):
    record = get_visible_record(request.user, pk)
    organisation = acting_organisation(request.user, record, preferred=current_organisation(request))
    read_record(
        jobseeker=record, user=request.user, organisation=organisation, request=request, reason=reason
    )
    return record, organisation


def _record_links(record):
    return [
        {"url": reverse("jobseekers:list"), "title": "Personnes suivies"},
        {
            "url": reverse("jobseekers:detail", args=[record.pk]),
            "title": f"{record.first_name} {record.last_name}",
        },
    ]


def profile_edit(request, pk: int):
    record, organisation = _record_for(request, pk, reason="projet de recherche d'emploi")
    profile = SearchProfile.objects.filter(jobseeker=record).first() or SearchProfile(jobseeker=record)
    skills = core_skills_for(profile.appellations.all()) if profile.pk else None
    form = SearchProfileForm(request.POST or None, instance=profile, skills_queryset=skills)
    if request.method == "POST" and form.is_valid():
        services.save_profile(
            jobseeker=record,
            data=form.cleaned_data,
            appellations=form.appellations(),
            skills=form.skills(),
            user=request.user,
            organisation=organisation,
            request=request,
        )
        messages.success(
            request, "Projet enregistré. Cochez les compétences acquises parmi celles des métiers choisis."
        )
        return redirect("matching:offers_for_person", pk=record.pk)
    return render(
        request,
        "matching/profile_form.html",
        {
            "title": "Projet de recherche d'emploi",
            "breadcrumb_links": _record_links(record),
            "record": record,
            "form": form,
        },
    )


def offers_for_person(request, pk: int):
    record, organisation = _record_for(request, pk, reason="offres adaptées")
    filters = OfferFiltersForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    profile = SearchProfile.objects.filter(jobseeker=record).first()
    results = selectors.offers_for(
        record=record,
        include_unreachable=bool(cleaned.get("include_unreachable")),
        filters={
            name: cleaned.get(name) or ""
            for name in ("contract_type", "departement_code", "published_within_days", "sort")
        },
    )
    aids = mobility_aids_for(record=record, offers=[r.offer for r in results])
    referrals = (
        Referral.objects.filter(jobseeker=record)
        .select_related("offer", "organisation")
        .prefetch_related("events")
    )
    return render(
        request,
        "matching/offers_for_person.html",
        {
            "title": f"Offres pour {record.first_name} {record.last_name}",
            "breadcrumb_links": _record_links(record),
            "record": record,
            "profile": profile,
            "filters": filters,
            "results": [(r, aids.get(r.offer.pk, [])) for r in results],
            "referrals": referrals,
            "status_form": ReferralStatusForm(),
            "organisation": organisation,
        },
    )


def people_for_offer(request, pk: int):
    offer = get_object_or_404(Offer.objects.select_related("commune", "fiche"), pk=pk)
    people = selectors.people_for(user=request.user, offer=offer)
    organisation = current_organisation(request)
    for person in people:
        read_record(
            jobseeker=person["record"],
            user=request.user,
            organisation=organisation,
            request=request,
            reason=f"profils pour l'offre {offer.pk}",
        )
    return render(
        request,
        "matching/people_for_offer.html",
        {
            "title": "Personnes pour cette offre",
            "breadcrumb_links": [{"url": reverse("offers:detail", args=[offer.pk]), "title": offer.title}],
            "offer": offer,
            "people": people,
        },
    )


@require_POST
def propose(request, pk: int, offer_pk: int):
    record, organisation = _record_for(request, pk, reason="mise en relation")
    offer = get_object_or_404(Offer, pk=offer_pk)
    direction = request.POST.get("direction", Referral.Direction.OFFER_TO_PERSON)
    if direction not in Referral.Direction.values:
        raise Http404
    try:
        score = float(request.POST.get("score", ""))
    except ValueError:
        score = None
    services.propose(
        jobseeker=record,
        offer=offer,
        direction=direction,
        score=score,
        user=request.user,
        organisation=organisation,
        request=request,
    )
    messages.success(request, f"Mise en relation enregistrée : {offer.title}.")
    return redirect(request.POST.get("next") or reverse("matching:offers_for_person", args=[record.pk]))


@require_POST
def referral_status(request, pk: int, referral_pk: int):
    record, organisation = _record_for(request, pk, reason="suivi de mise en relation")
    referral = get_object_or_404(Referral, pk=referral_pk, jobseeker=record)
    form = ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                user=request.user,
                organisation=organisation,
                request=request,
            )
            messages.success(request, "État de la mise en relation mis à jour.")
        except (services.InvalidTransition, ValidationError) as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "État inconnu.")
    return redirect(reverse("matching:offers_for_person", args=[record.pk]) + "#mises-en-relation")
