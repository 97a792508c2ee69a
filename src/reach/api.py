from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from reach import selectors
from reach.travel import Mode

API_PREFIX = "/reach/"
router = Router(tags=["temps de trajet"])


class TripOut(Schema):
    origin: str
    destination: str
    road_km: float
    minutes: dict[str, float]


class ReachableIn(Schema):
    origin: str
    mode: Mode = Mode.CAR
    max_minutes: float = 30


class ReachableCommune(Schema):
    code: str
    minutes: float


@router.get("/trip", response=TripOut, summary="Temps de trajet estimé entre deux communes, par mode")
def trip(request, origin: str, destination: str):
    found = selectors.trip(origin=origin, destination=destination)
    if found is None:
        raise Http404("Commune inconnue (code INSEE).")
    return {
        "origin": found.origin,
        "destination": found.destination,
        "road_km": found.road_km,
        "minutes": {str(mode): value for mode, value in found.minutes.items()},
    }


@router.get(
    "/reachable", response=list[ReachableCommune], summary="Communes accessibles en moins de N minutes"
)
def reachable(request, filters: Query[ReachableIn]):
    if not 0 < filters.max_minutes <= 180:
        raise HttpError(422, "max_minutes doit être compris entre 0 et 180.")
    found = selectors.reachable(origin=filters.origin, mode=filters.mode, max_minutes=filters.max_minutes)
    if not found:
        raise Http404("Commune inconnue (code INSEE).")
    return [
        {"code": code, "minutes": minutes}
        for code, minutes in sorted(found.items(), key=lambda item: item[1])
    ]
