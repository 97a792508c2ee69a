import math

import pytest

from territories.geo import bounding_box, haversine_km
from territories.models import Commune, Departement, Epci, ZoneEmploi
from territories.selectors import (
    CommuneResolver,
    commune_by_code,
    communes_within,
    nearest_communes,
    region_communes,
    resolve_commune,
    search_communes,
    territories_with_totals,
)
from tests.factories import CommuneFactory


def test_haversine_known_distances():
    assert haversine_km(49.0, 2.0, 49.0, 2.0) == 0
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.195, abs=0.01)  # one degree of meridian
    # Paris (Notre-Dame) to Amiens (cathedral): about 115 km as the crow flies.
    assert haversine_km(48.853, 2.3499, 49.8946, 2.3022) == pytest.approx(115.9, abs=0.5)
    assert haversine_km(10, 20, 30, 40) == pytest.approx(haversine_km(30, 40, 10, 20))


@pytest.mark.parametrize("latitude", [-60.0, 0.0, 46.9, 51.0, 70.0])
def test_bounding_box_holds_every_point_of_the_circle(latitude):
    radius = 50.0
    box = bounding_box(latitude, 2.0, radius)
    for step in range(36):
        bearing = math.radians(step * 10)
        # Destination point at `radius` km on `bearing` (spherical formula).
        delta = radius / 6371.0088
        phi1, lambda1 = math.radians(latitude), math.radians(2.0)
        phi2 = math.asin(
            math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(bearing)
        )
        lambda2 = lambda1 + math.atan2(
            math.sin(bearing) * math.sin(delta) * math.cos(phi1),
            math.cos(delta) - math.sin(phi1) * math.sin(phi2),
        )
        point = (math.degrees(phi2), math.degrees(lambda2))
        assert haversine_km(latitude, 2.0, *point) == pytest.approx(radius, rel=1e-6)
        assert box.contains(*point), (bearing, point, box)
    assert not box.contains(latitude + 1.0, 2.0)  # 111 km north: outside


def test_bounding_box_near_the_pole_takes_every_longitude():
    box = bounding_box(89.9, 0.0, 50.0)
    assert (box.min_longitude, box.max_longitude, box.max_latitude) == (-180.0, 180.0, 90.0)


def test_communes_within_sorted_by_distance(fixture_territory):
    found = communes_within(latitude=46.9, longitude=-6.3, radius_km=5)
    assert [c.code for c in found] == ["96001", "96002"]
    assert found[0].distance_km == pytest.approx(0, abs=1e-9)
    assert found[1].distance_km == pytest.approx(haversine_km(46.9, -6.3, 46.92, -6.35))
    assert 4 < found[1].distance_km < 5
    assert [c.code for c in communes_within(latitude=46.9, longitude=-6.3, radius_km=4)] == ["96001"]
    assert len(communes_within(latitude=46.9, longitude=-6.3, radius_km=20)) == 3  # + Saint-Essai (~18 km)


def test_nearest_communes_excludes_the_commune_itself(fixture_territory):
    nearby = nearest_communes(commune=Commune.objects.get(pk="96001"), radius_km=30)
    assert [c.code for c in nearby] == ["96002", "96003"]


def test_search_by_name_is_accent_insensitive_and_prefix_first(fixture_territory):
    assert [c.code for c in search_communes(query="villecentre")] == ["96001", "96002"]
    assert [c.code for c in search_communes(query="DREUIL-LÈS-VILLE")] == ["96002"]
    assert [c.code for c in search_communes(query="dreuil-lès-villecentre")] == ["96002"]
    assert [c.code for c in search_communes(query="metro")] == ["97056"]  # "Métropole"
    assert [c.code for c in search_communes(query="st essai")] == ["96003"]  # "St" means "Saint"
    assert [c.code for c in search_communes(query="Villecentre (96)")] == ["96001", "96002"]
    assert list(search_communes(query="Villecentre (97)")) == []
    assert list(search_communes(query="zzz")) == []
    assert list(search_communes(query="  ")) == []


def test_search_prefers_exact_name_then_population(fixture_territory):
    CommuneFactory(
        code="96010",
        name="Villecentre-Plage",
        departement=Departement.objects.get(pk="96"),
        population=200000,
        latitude=46.7,
        longitude=-6.0,
    )
    assert [c.code for c in search_communes(query="villecentre")] == ["96001", "96010", "96002"]
    assert [c.code for c in search_communes(query="villecentre", limit=1)] == ["96001"]


def test_search_puts_the_region_first_within_a_rank(fixture_territory, settings):
    CommuneFactory(
        code="97010",
        name="Haut-Villecentre",
        departement=Departement.objects.get(pk="97"),
        population=500000,
        latitude=45.7,
        longitude=-7.3,
    )
    # Dreuil-lès-Villecentre and Haut-Villecentre share a rank (a word of the name starts with the text).
    assert [c.code for c in search_communes(query="villecentre")] == ["96001", "96002", "97010"]
    settings.REGION_CODE = "99"
    assert [c.code for c in search_communes(query="villecentre")] == ["96001", "97010", "96002"]


def test_search_by_postal_code_and_insee_code(fixture_territory):
    assert [c.code for c in search_communes(query="96470")] == ["96002"]
    assert [c.code for c in search_communes(query="96080")] == ["96001"]  # second postal code of Villecentre
    assert [c.code for c in search_communes(query="97056")] == ["97056"]
    assert [c.code for c in search_communes(query="9600")] == ["96001", "96002", "96003"]  # codes and CPs
    assert [c.code for c in search_communes(query="", departement="97")] == ["97056"]
    assert [c.code for c in search_communes(query="", postal_code="96300")] == ["96003"]


def test_commune_by_code_follows_aliases(fixture_territory):
    assert commune_by_code("96001").name == "Villecentre"
    assert commune_by_code("97901").code == "97056"  # arrondissement
    assert commune_by_code("96005").code == "96003"  # former commune
    assert commune_by_code("96004").code == "96003"  # commune déléguée
    assert commune_by_code("99999") is None
    assert commune_by_code("") is None


RESOLUTIONS = [
    ({"code": "96001"}, "96001"),
    ({"code": "97902"}, "97056"),
    ({"code": "99999", "postal_code": "96470"}, "96002"),  # unknown code: falls through to the postal code
    ({"postal_code": "96000", "name": "VILLECENTRE"}, "96001"),
    ({"postal_code": "96470", "name": "Dreuil"}, "96002"),  # prefix of the name under the postal code
    ({"postal_code": "96470"}, "96002"),  # a postal code serving one commune
    ({"name": "Saint Essai"}, "96003"),
    ({"name": "Villecentre (96)"}, "96001"),
    ({"latitude": 46.801, "longitude": -6.501}, "96003"),  # nearest commune to a point
    ({"latitude": 10.0, "longitude": 10.0}, None),  # nothing within 30 km
    ({"name": "Nulle-Part"}, None),
    ({}, None),
]


@pytest.mark.parametrize(("given", "expected"), RESOLUTIONS)
def test_resolve_commune(fixture_territory, given, expected):
    commune = resolve_commune(**given)
    assert (commune.code if commune else None) == expected


@pytest.mark.parametrize(("given", "expected"), RESOLUTIONS)
def test_bulk_resolver_agrees_with_resolve_commune(fixture_territory, given, expected):
    assert CommuneResolver().resolve(**given) == expected


def test_homonyms_need_a_hint(fixture_territory, settings):
    CommuneFactory(
        code="97999",
        name="Villecentre",
        departement=Departement.objects.get(pk="97"),
        latitude=45.0,
        longitude=-8.0,
    )
    resolver = CommuneResolver()
    # Name alone: the one in the configured region (98) wins, since it is the only one there.
    assert resolve_commune(name="Villecentre").code == "96001"
    assert resolver.resolve(name="Villecentre") == "96001"
    # With a point, the nearest homonym.
    assert resolve_commune(name="Villecentre", latitude=45.01, longitude=-8.0).code == "97999"
    assert resolver.resolve(name="Villecentre", latitude=45.01, longitude=-8.0) == "97999"
    # Configured elsewhere, the name alone is ambiguous: no guess.
    settings.REGION_CODE = "32"
    assert resolve_commune(name="Villecentre") is None
    assert resolver.resolve(name="Villecentre") is None


def test_region_communes_and_totals(fixture_territory):
    assert sorted(region_communes().values_list("code", flat=True)) == ["96001", "96002", "96003"]
    zones = {z.code: z for z in territories_with_totals(ZoneEmploi, region="98")}
    assert list(zones) == ["9801"]
    assert (zones["9801"].commune_count, zones["9801"].population, zones["9801"].outside_count) == (
        3,
        132040,
        0,
    )
    epcis = {
        e.pk: e.commune_count
        for e in territories_with_totals(Epci, region=None)
        if e.pk.startswith("2000000")
    }
    assert epcis == {"200000001": 2, "200000002": 1}
