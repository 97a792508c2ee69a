"""Distances and travel times between a person's home and the place of their project, computed by the platform.

Until the `reach` app (issue 5) provides real travel times, a road distance is estimated as the great-circle
distance between the two communes' points × ROAD_DETOUR_FACTOR, and a car travel time from AVERAGE_SPEED_KMH.
Everything goes through `estimate_travel`, so swapping in real travel times changes one function.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from territories.geo import EARTH_RADIUS_KM

# Road km / great-circle km: measured road networks give 1.2 (motorways) to 1.4 (rural roads) in France; 1.3 is
# the usual middle value for "crow-flies to road" conversions between towns.
ROAD_DETOUR_FACTOR = 1.3
AVERAGE_SPEED_KMH = 60.0  # car, door to door, mixed roads


@dataclass(frozen=True)
class Place:
    code: str
    latitude: float | None
    longitude: float | None
    departement: str
    region: str
    epci: str


class CommuneIndex:
    """Communes by INSEE code (aliases followed), loaded from the database on demand, or from DATA_DIR's
    communes.csv when the database holds no commune (a bare database running the CLI)."""

    def __init__(self):
        self._places: dict[str, Place] = {}
        self._lock = threading.Lock()
        self._from_file = None

    def clear(self) -> None:
        with self._lock:
            self._places.clear()
            self._from_file = None

    def places(self, codes) -> dict[str, Place]:
        wanted = {c for c in codes if c}
        missing = wanted - self._places.keys()
        if missing:
            self._load(missing)
        return {code: self._places[code] for code in wanted if code in self._places}

    def _load(self, codes: set[str]) -> None:
        from territories.models import Commune, CommuneAlias

        with self._lock:
            if not Commune.objects.exists():
                self._places.update(self._file_places(codes))
                return
            rows = Commune.objects.filter(pk__in=codes).values_list(
                "code", "latitude", "longitude", "departement_id", "region_id", "epci_id"
            )
            for code, lat, lon, dep, region, epci in rows:
                self._places[code] = Place(code, lat, lon, dep, region, epci or "")
            aliases = CommuneAlias.objects.filter(pk__in=codes - self._places.keys()).select_related(
                "commune"
            )
            for alias in aliases:
                c = alias.commune
                self._places[alias.code] = Place(
                    c.code, c.latitude, c.longitude, c.departement_id, c.region_id, c.epci_id or ""
                )

    def _file_places(self, codes: set[str]) -> dict[str, Place]:
        if self._from_file is None:
            self._from_file = {}
            path = settings.DATA_DIR / "territories" / "communes.csv"
            if path.exists():
                with open(path, newline="", encoding="utf-8") as handle:
                    for row in csv.DictReader(handle):
                        try:
                            lat, lon = float(row["lat"]), float(row["lng"])
                        except (TypeError, ValueError):
                            lat = lon = None
                        self._from_file[row["insee_com"]] = Place(
                            row["insee_com"], lat, lon, row["insee_dep"], row["insee_reg"], ""
                        )
        return {code: self._from_file[code] for code in codes if code in self._from_file}


communes = CommuneIndex()


@dataclass
class Travel:
    """Per pair (home, place): one-way road km, round-trip minutes, and whether they could be computed."""

    road_km: np.ndarray
    round_trip_minutes: np.ndarray
    known: np.ndarray


def estimate_travel(homes: list[str | None], places: list[str | None]) -> Travel:
    found = communes.places(list(homes) + list(places))
    n = len(homes)
    lat1, lon1, lat2, lon2 = (np.full(n, np.nan) for _ in range(4))
    for i, (home, place) in enumerate(zip(homes, places, strict=True)):
        a, b = found.get(home), found.get(place)
        if a and b and a.latitude is not None and b.latitude is not None:
            lat1[i], lon1[i], lat2[i], lon2[i] = a.latitude, a.longitude, b.latitude, b.longitude
    known = ~np.isnan(lat1)
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    great_circle = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    road_km = np.where(known, great_circle * ROAD_DETOUR_FACTOR, 0.0)
    minutes = road_km * 2 / AVERAGE_SPEED_KMH * 60
    return Travel(road_km=np.round(road_km, 1), round_trip_minutes=np.round(minutes), known=known)
