"""Reads on the training supply, for the diagnosis' coverage indicator."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Q, Sum
from django.utils import timezone

from rome.models import Fiche
from training.models import ApprenticeshipFigure, TrainingSession


def rome3_of() -> dict[str, str]:
    """ROME 4.0 fiche code → its ROME v3 parent (v3 codes map to themselves)."""
    parents = dict(Fiche.objects.values_list("code", "parent_code"))
    return {code: parent or code for code, parent in parents.items()}


def current_sessions(*, today: dt.date | None = None):
    """Sessions still to come or running: ended no earlier than today, or undated."""
    today = today or timezone.localdate()
    return TrainingSession.objects.filter(Q(end_date__gte=today) | Q(end_date__isnull=True))


def places_by_rome_and_commune(*, today: dt.date | None = None) -> dict[tuple[str, str], float]:
    """Training places by (ROME v3, commune): current sessions (a session leading to several occupations
    counts a share for each) plus apprenticeship places of the latest year on file."""
    parent = rome3_of()
    places: dict[tuple[str, str], float] = defaultdict(float)
    sessions = current_sessions(today=today).exclude(commune__isnull=True).exclude(places__isnull=True)
    for codes, commune, count in sessions.values_list("rome_codes", "commune_id", "places"):
        romes = sorted({parent.get(code, code) for code in codes.split()})
        for rome in romes:
            places[(rome, commune)] += count / len(romes)
    latest = ApprenticeshipFigure.objects.aggregate(year=Max("year"))["year"]
    if latest:
        figures = ApprenticeshipFigure.objects.filter(
            year=latest, commune__isnull=False, places__isnull=False
        )
        for rome, commune, count in figures.values_list("rome_code", "commune_id", "places"):
            places[(parent.get(rome, rome), commune)] += count
    return dict(places)


def latest_apprenticeship(*, rome: str = "") -> tuple[int | None, list[dict]]:
    """Apprenticeship places and contracts of the latest year on file, by ROME code."""
    year = ApprenticeshipFigure.objects.aggregate(year=Max("year"))["year"]
    if year is None:
        return None, []
    rows = ApprenticeshipFigure.objects.filter(year=year)
    if rome:
        rows = rows.filter(rome_code=rome)
    totals = (
        rows.values("rome_code")
        .annotate(places=Sum("places"), contracts=Sum("contracts"))
        .order_by("rome_code")
    )
    return year, list(totals)
