import csv

import numpy as np
import pytest
from django.conf import settings

from matching.engine import CONTRACTS, OfferIndex, PeopleIndex, Profile, rank_offers, rank_people
from matching.occupations import OccupationGraph
from reach.travel import CONTEXT_ORDER, Mode, TravelModel, classify_context

# Fiches: two in one ROME v3 family (J1501 aide-soignant, J1503 soins d'hygiène), one reachable by mobility
# (K1302 assistance auprès d'adultes), one of the same domaine, one unrelated (M1805 developer).
FICHES = ["J1501", "J1503", "K1302", "J1506", "M1805"]
LABELS = [
    "Aide-soignant",
    "Soins d'hygiène",
    "Assistance auprès d'adultes",
    "Soins infirmiers",
    "Développeur",
]


@pytest.fixture(scope="module")
def graph():
    return OccupationGraph(
        codes=FICHES,
        labels=LABELS,
        parents=np.array([0, 0, 1, 2, 3]),
        domaines=np.array([0, 0, 1, 0, 2]),
        mobility={0: [(2, 1)]},
        core_skills=[
            frozenset({1, 2, 3, 4}),
            frozenset({1, 2}),
            frozenset({5}),
            frozenset({1, 6}),
            frozenset({9}),
        ],
    )


@pytest.fixture(scope="module")
def travel():
    """Every commune of the region, from the real reference file."""
    path = settings.DATA_DIR / "territories" / "communes_hauts_de_france.csv"
    with open(path, encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["latitude"]]
    return TravelModel(
        codes=np.array([row["code_insee"] for row in rows]),
        latitudes=np.array([float(row["latitude"]) for row in rows]),
        longitudes=np.array([float(row["longitude"]) for row in rows]),
        contexts=np.array(
            [
                CONTEXT_ORDER.index(classify_context(population=int(row["population"] or 0), epci_kind=None))
                for row in rows
            ]
        ),
    )


def offers_at(travel, placements):
    """placements: [(offer id, fiche code, commune code, contract)]"""
    return OfferIndex(
        ids=np.array([p[0] for p in placements]),
        fiches=np.array([FICHES.index(p[1]) for p in placements]),
        communes=np.array([travel.index[p[2]] for p in placements]),
        contracts=np.array([CONTRACTS.index(p[3]) for p in placements]),
        working_times=np.zeros(len(placements), dtype=int),
        experience_months=np.full(len(placements), np.nan),
        published_days=np.full(len(placements), 20000.0),
    )


AMIENS, ABBEVILLE, LILLE, LAON, COUVRON = "80021", "80001", "59350", "02408", "02231"


def test_occupation_fit_ranks_the_same_fiche_first(graph, travel):
    offers = offers_at(
        travel,
        [
            (1, "M1805", AMIENS, "CDI"),
            (2, "K1302", AMIENS, "CDI"),
            (3, "J1503", AMIENS, "CDI"),
            (4, "J1501", AMIENS, "CDI"),
        ],
    )
    profile = Profile(residence=AMIENS, wanted_fiches=["J1501"], modes=frozenset({Mode.PUBLIC_TRANSPORT}))
    matches = rank_offers(profile=profile, offers=offers, graph=graph, travel=travel, today=20000.0)
    assert [m.offer_id for m in matches] == [4, 3, 2]  # the developer job is not proposed
    assert matches[0].reasons[0] == "Même métier que celui recherché"
    assert matches[2].reasons[0].startswith("Passerelle proche")


@pytest.mark.parametrize(
    ("residence", "modes", "reachable"),
    [
        # In rural Aisne (Couvron-et-Aumencourt, 926 inhabitants), without a car, Laon's jobs are out of reach; with a car, they are reachable.
        (COUVRON, {Mode.WALK}, set()),
        (COUVRON, {Mode.PUBLIC_TRANSPORT}, set()),
        (COUVRON, {Mode.CAR}, {1}),
        # In Amiens, public transport reaches Amiens, not Abbeville; a car reaches both.
        (AMIENS, {Mode.PUBLIC_TRANSPORT}, {2}),
        (AMIENS, {Mode.CAR}, {2, 3}),
        # In Lille, a bike reaches Lille only.
        (LILLE, {Mode.BIKE}, {4}),
    ],
)
def test_reachable_sets_depend_on_where_people_live_and_how_they_travel(
    graph, travel, residence, modes, reachable
):
    offers = offers_at(
        travel,
        [
            (1, "J1501", LAON, "CDI"),
            (2, "J1501", AMIENS, "CDI"),
            (3, "J1501", ABBEVILLE, "CDI"),
            (4, "J1501", LILLE, "CDI"),
        ],
    )
    profile = Profile(residence=residence, wanted_fiches=["J1501"], modes=frozenset(modes), max_minutes=45)
    matches = rank_offers(profile=profile, offers=offers, graph=graph, travel=travel, today=20000.0)
    assert {m.offer_id for m in matches} == reachable


def test_unreachable_offers_say_what_would_make_them_reachable(graph, travel):
    offers = offers_at(travel, [(1, "J1501", LAON, "CDI")])
    profile = Profile(
        residence=COUVRON, wanted_fiches=["J1501"], modes=frozenset({Mode.WALK}), has_licence=False
    )
    [match] = rank_offers(
        profile=profile, offers=offers, graph=graph, travel=travel, today=20000.0, include_unreachable=True
    )
    assert not match.reachable
    assert match.car_minutes < 45
    assert match.levers[0] == "permis B et véhicule"


def test_contract_and_skills_weigh_in(graph, travel):
    offers = offers_at(travel, [(1, "J1501", AMIENS, "INTERIM"), (2, "J1501", AMIENS, "CDI")])
    profile = Profile(
        residence=AMIENS,
        wanted_fiches=["J1501"],
        contracts=frozenset({"CDI"}),
        skills=frozenset({1, 2, 3}),
        modes=frozenset({Mode.PUBLIC_TRANSPORT}),
    )
    matches = rank_offers(profile=profile, offers=offers, graph=graph, travel=travel, today=20000.0)
    assert [m.offer_id for m in matches] == [2, 1]
    assert "type de contrat non souhaité" in matches[1].reasons
    assert matches[0].components["skills"] == pytest.approx(0.75)


def test_people_for_an_offer(graph, travel):
    people = PeopleIndex(
        ids=np.array([10, 11, 12, 13]),
        residences=np.array([travel.index[c] for c in (AMIENS, COUVRON, AMIENS, ABBEVILLE)]),
        mode_masks=np.array(
            [1 << list(Mode).index(m) for m in (Mode.PUBLIC_TRANSPORT, Mode.WALK, Mode.CAR, Mode.CAR)]
        ),
        max_minutes=np.array([45.0, 45.0, 45.0, 45.0]),
        wanted_offsets=np.array([0, 1, 2, 3, 4]),
        wanted_fiches=np.array([0, 0, 4, 2]),
        contract_masks=np.zeros(4, dtype=int),
    )
    found = rank_people(
        offer_fiche="J1501",
        offer_commune=AMIENS,
        offer_contract="CDI",
        people=people,
        graph=graph,
        travel=travel,
    )
    # 11 lives too far without a car, 12 wants another occupation; 13 (K1302 -> J1501 is not a ROME link) is out.
    assert [p["person_id"] for p in found] == [10]
    allowed = np.array([False, True, True, True])
    assert (
        rank_people(
            offer_fiche="J1501",
            offer_commune=AMIENS,
            offer_contract="CDI",
            people=people,
            graph=graph,
            travel=travel,
            allowed=allowed,
        )
        == []
    )
