"""Distances on the Earth's surface, for "communes within N km" and "nearest commune" questions.

Communes are points (a representative point close to the town hall), so great-circle distance is what we can
honestly compute; road distances and travel times belong to the `reach` app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_KM / 180
_MARGIN_DEGREES = 1e-6  # about 10 cm: keeps points lying exactly on the circle inside despite rounding


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in decimal degrees (WGS 84)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class BoundingBox:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return (
            self.min_latitude <= latitude <= self.max_latitude
            and self.min_longitude <= longitude <= self.max_longitude
        )

    def as_filter(self, prefix: str = "") -> dict[str, float]:
        """Django lookups selecting rows whose `latitude`/`longitude` fall in the box (index-friendly)."""
        return {
            f"{prefix}latitude__gte": self.min_latitude,
            f"{prefix}latitude__lte": self.max_latitude,
            f"{prefix}longitude__gte": self.min_longitude,
            f"{prefix}longitude__lte": self.max_longitude,
        }


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box holding every point within `radius_km` of the centre.

    A cheap index-friendly prefilter: candidates inside the box still need `haversine_km` (the corners are
    farther than the radius).
    """
    dlat = radius_km / KM_PER_DEGREE_LATITUDE + _MARGIN_DEGREES
    min_lat, max_lat = max(-90.0, latitude - dlat), min(90.0, latitude + dlat)
    # Near a pole, or when the circle crosses it, every longitude qualifies.
    cos_lat = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    if max_lat >= 90.0 or min_lat <= -90.0 or cos_lat < 1e-6:
        return BoundingBox(min_lat, max_lat, -180.0, 180.0)
    dlon = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat) + _MARGIN_DEGREES
    if dlon >= 180.0:
        return BoundingBox(min_lat, max_lat, -180.0, 180.0)
    return BoundingBox(min_lat, max_lat, longitude - dlon, longitude + dlon)
