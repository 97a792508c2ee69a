import pytest

from aids.distances import ROAD_DETOUR_FACTOR, communes
from territories.geo import KM_PER_DEGREE_LATITUDE
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

HOME = {"latitude": 50.0, "longitude": 2.3}


@pytest.fixture(autouse=True)
def _fresh_commune_index():
    communes.clear()
    yield
    communes.clear()


@pytest.fixture
def catalogue(db):
    """The project's catalogue files loaded in the database (no aides-jeunes: tests stay independent of it)."""
    from aids.models import Aid
    from aids.sources import read_catalogue

    for aid_id, values in read_catalogue().rows.items():
        Aid.objects.create(id=aid_id, **values)
    return list(Aid.objects.all())


@pytest.fixture
def places(db):
    """A home commune in the Somme and a factory of work places at a chosen ROAD distance (one way)."""
    home = CommuneFactory(code="80021", name="Amiens", **HOME)

    def at_road_km(km: float, code: str | None = None):
        degrees = km / ROAD_DETOUR_FACTOR / KM_PER_DEGREE_LATITUDE
        return CommuneFactory(
            code=code or f"80{int(km * 10) % 1000:03d}",
            latitude=HOME["latitude"] + degrees,
            longitude=HOME["longitude"],
        ).code

    at_road_km.home = home.code
    return at_road_km


@pytest.fixture
def elsewhere(db):
    """A commune outside Hauts-de-France (Paris)."""
    region = RegionFactory(code="11", name="Île-de-France")
    departement = DepartementFactory(code="75", name="Paris", region=region)
    return CommuneFactory(
        code="75056", name="Paris", departement=departement, latitude=48.86, longitude=2.35
    ).code
