"""Door-to-door travel-time estimates between communes, for every mode, without a routing engine.

A commune is a point (close to its town hall), so times are estimated from straight-line distances:

- road distance = straight line × DETOUR_FACTOR (1.3, the usual ratio between road and crow-fly distances in
  France; it is 1.2–1.4 depending on the network's density);
- car: a fixed TERMINAL_MINUTES (parking, walking to the door) plus the road distance at a speed that starts at
  the local street speed (urban/periurban/rural context of both ends) and tends to CAR_LONG_DISTANCE_KMH on long
  trips, where trunk roads and motorways take over: v(d) = v_long − (v_long − v_local) × exp(−d / 15 km);
- two-wheeler: the same curve capped at 45 km/h (a 50 cm³ moped, what most people without licence B ride);
- bike 15 km/h and walking 4.5 km/h on the road distance;
- public transport without timetables: walk to the stop + half the usual headway + in-vehicle time + walk from
  the stop. The in-vehicle speed grows with distance from a city bus (20 km/h) to a regional train (70 km/h):
  v(d) = 70 − 50 × exp(−d / 40 km). Access and waiting depend on each end's context, which is what makes rural
  trips long. When a GTFS feed has been imported
  (`reseau-emploi import-gtfs`), its computed times replace the model for the pairs it serves.

docs/reach.md lists the parameters' sources and the model's error against known trips. `TravelModel` computes
one origin against every commune in one vectorised numpy operation (about a millisecond for 35,000 communes),
so queries never wait on a router.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

EARTH_RADIUS_KM = 6371.0088
DETOUR_FACTOR = 1.3
TERMINAL_MINUTES = 5.0
CAR_LONG_DISTANCE_KMH = 85.0
MOPED_MAX_KMH = 45.0
BIKE_KMH = 15.0
WALK_KMH = 4.5
SPEED_DECAY_KM = 15.0


class Mode(StrEnum):
    CAR = "car"
    TWO_WHEELER = "two_wheeler"
    PUBLIC_TRANSPORT = "public_transport"
    BIKE = "bike"
    WALK = "walk"


MODE_LABELS = {
    Mode.CAR: "voiture",
    Mode.TWO_WHEELER: "deux-roues motorisé",
    Mode.PUBLIC_TRANSPORT: "transports en commun",
    Mode.BIKE: "vélo",
    Mode.WALK: "à pied",
}


class Context(StrEnum):
    URBAN = "urban"
    PERIURBAN = "periurban"
    RURAL = "rural"


@dataclass(frozen=True)
class ContextParameters:
    street_speed_kmh: float  # car speed at the start and end of a trip
    transit_access_minutes: float  # walk between the door and a stop
    transit_wait_minutes: float  # half the typical headway


CONTEXT_PARAMETERS = {
    Context.URBAN: ContextParameters(
        street_speed_kmh=22.0, transit_access_minutes=6.0, transit_wait_minutes=7.0
    ),
    Context.PERIURBAN: ContextParameters(
        street_speed_kmh=38.0, transit_access_minutes=10.0, transit_wait_minutes=20.0
    ),
    Context.RURAL: ContextParameters(
        street_speed_kmh=55.0, transit_access_minutes=18.0, transit_wait_minutes=45.0
    ),
}
CONTEXT_ORDER = [Context.URBAN, Context.PERIURBAN, Context.RURAL]
TRANSIT_LOCAL_KMH = 20.0
TRANSIT_REGIONAL_KMH = 70.0
TRANSIT_SPEED_DECAY_KM = 40.0


def classify_context(*, population: int | None, epci_kind: str | None) -> Context:
    """Urban: a town of 10,000+ people or a commune of a métropole / communauté urbaine; periurban: 2,000+
    people or a commune of a communauté d'agglomération; rural otherwise. An approximation of INSEE's density
    grid, built only from data the platform holds."""
    population = population or 0
    kind = (epci_kind or "").upper()
    if population >= 10_000 or kind in {"METRO", "MET69", "CU"}:
        return Context.URBAN
    if population >= 2_000 or kind == "CA":
        return Context.PERIURBAN
    return Context.RURAL


def crow_distances_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    phi1, phi2 = np.radians(lat), np.radians(lats)
    dphi = phi2 - phi1
    dlambda = np.radians(lons - lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


@dataclass
class TravelModel:
    """Communes as arrays, plus optional timetable-based public transport times {(origin, destination): min}."""

    codes: np.ndarray  # INSEE codes (str)
    latitudes: np.ndarray
    longitudes: np.ndarray
    contexts: np.ndarray  # index into CONTEXT_ORDER
    transit_times: dict[tuple[str, str], float] = field(default_factory=dict)
    index: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.index = {code: position for position, code in enumerate(self.codes.tolist())}
        self._street = np.array([CONTEXT_PARAMETERS[c].street_speed_kmh for c in CONTEXT_ORDER])[
            self.contexts
        ]
        self._access = np.array([CONTEXT_PARAMETERS[c].transit_access_minutes for c in CONTEXT_ORDER])[
            self.contexts
        ]
        self._wait = np.array([CONTEXT_PARAMETERS[c].transit_wait_minutes for c in CONTEXT_ORDER])[
            self.contexts
        ]
        self._transit_by_origin: dict[str, dict[str, float]] = {}
        for (origin, destination), minutes in self.transit_times.items():
            self._transit_by_origin.setdefault(origin, {})[destination] = minutes

    def __contains__(self, code: str) -> bool:
        return code in self.index

    def road_distances_km(self, origin: str) -> np.ndarray:
        i = self.index[origin]
        crow = crow_distances_km(self.latitudes[i], self.longitudes[i], self.latitudes, self.longitudes)
        return crow * DETOUR_FACTOR

    def times_from(self, origin: str, mode: Mode) -> np.ndarray:
        """Minutes from `origin` to every commune (same order as `codes`) by `mode`; 0 to itself."""
        i = self.index[origin]
        road = self.road_distances_km(origin)
        if mode in (Mode.CAR, Mode.TWO_WHEELER):
            local = (self._street[i] + self._street) / 2
            long_speed = CAR_LONG_DISTANCE_KMH
            speed = long_speed - (long_speed - local) * np.exp(-road / SPEED_DECAY_KM)
            if mode is Mode.TWO_WHEELER:
                speed = np.minimum(speed, MOPED_MAX_KMH)
            minutes = TERMINAL_MINUTES + road / speed * 60
        elif mode is Mode.BIKE:
            minutes = road / BIKE_KMH * 60
        elif mode is Mode.WALK:
            minutes = road / WALK_KMH * 60
        else:
            in_vehicle_speed = TRANSIT_REGIONAL_KMH - (TRANSIT_REGIONAL_KMH - TRANSIT_LOCAL_KMH) * np.exp(
                -road / TRANSIT_SPEED_DECAY_KM
            )
            minutes = self._access[i] + self._wait[i] + road / in_vehicle_speed * 60 + self._access
            # Walking is the public-transport user's fallback for short hops.
            minutes = np.minimum(minutes, road / WALK_KMH * 60)
            timetable = self._transit_by_origin.get(origin)
            if timetable:
                positions = [self.index[code] for code in timetable if code in self.index]
                minutes = minutes.copy()
                minutes[positions] = [timetable[self.codes[p]] for p in positions]
        minutes = np.asarray(minutes, dtype=float).copy()
        minutes[i] = 0.0
        return minutes

    def time(self, origin: str, destination: str, mode: Mode) -> float:
        return float(self.times_from(origin, mode)[self.index[destination]])

    def road_distance_km(self, origin: str, destination: str) -> float:
        return float(self.road_distances_km(origin)[self.index[destination]])
