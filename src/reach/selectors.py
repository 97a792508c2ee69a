"""Travel times for the rest of the platform: one cached `TravelModel` per process, rebuilt when communes or
imported timetables change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Min, Sum

from reach.models import TransitFeed, TransitTime
from reach.travel import CONTEXT_ORDER, MODE_LABELS, Mode, TravelModel, classify_context
from territories.models import Commune

_cache: dict[str, object] = {}


def _version() -> tuple:
    """Changes whenever the communes or the imported timetables change (a cheap aggregate query)."""
    communes = Commune.objects.aggregate(
        count=Count("code"),
        first=Min("code"),
        last=Max("code"),
        latitudes=Sum("latitude"),
        people=Sum("population"),
    )
    feeds = TransitFeed.objects.aggregate(count=Count("id"), latest=Max("imported_at"))
    return tuple(communes.values()) + tuple(feeds.values())


def travel_model() -> TravelModel:
    """The model over every commune with coordinates (built once per process, ~0.2 s)."""
    version = _version()
    if _cache.get("version") != version:
        rows = list(
            Commune.objects.exclude(latitude=None)
            .order_by("code")
            .values_list("code", "latitude", "longitude", "population", "epci__kind")
        )
        contexts = [
            CONTEXT_ORDER.index(classify_context(population=population, epci_kind=kind))
            for _code, _lat, _lon, population, kind in rows
        ]
        transit = {}
        for origin, destination, minutes in TransitTime.objects.values_list(
            "origin_id", "destination_id", "minutes"
        ):
            key = (origin, destination)
            transit[key] = min(minutes, transit.get(key, minutes))
        _cache["model"] = TravelModel(
            codes=np.array([row[0] for row in rows]),
            latitudes=np.array([row[1] for row in rows], dtype=float),
            longitudes=np.array([row[2] for row in rows], dtype=float),
            contexts=np.array(contexts, dtype=int),
            transit_times=transit,
        )
        _cache["version"] = version
    return _cache["model"]


@dataclass(frozen=True)
class Trip:
    origin: str
    destination: str
    road_km: float
    minutes: dict[Mode, float]

    def described(self) -> list[tuple[str, float]]:
        return [(MODE_LABELS[mode], minutes) for mode, minutes in self.minutes.items()]


def trip(*, origin: str, destination: str) -> Trip | None:
    """Road distance and one-way door-to-door minutes for every mode, or None if a commune is unknown."""
    model = travel_model()
    if origin not in model or destination not in model:
        return None
    return Trip(
        origin=origin,
        destination=destination,
        road_km=round(model.road_distance_km(origin, destination), 1),
        minutes={mode: round(model.time(origin, destination, mode), 1) for mode in Mode},
    )


def reachable(
    *, origin: str, mode: Mode, max_minutes: float, codes: list[str] | None = None
) -> dict[str, float]:
    """{commune code: minutes} of the communes reachable from `origin` within `max_minutes` by `mode`
    (restricted to `codes` when given)."""
    model = travel_model()
    if origin not in model:
        return {}
    minutes = model.times_from(origin, mode)
    if codes is None:
        mask = minutes <= max_minutes
        return dict(zip(model.codes[mask].tolist(), np.round(minutes[mask], 1).tolist(), strict=True))
    found = {}
    for code in codes:
        position = model.index.get(code)
        if position is not None and minutes[position] <= max_minutes:
            found[code] = round(float(minutes[position]), 1)
    return found
