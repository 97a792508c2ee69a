"""Occupation ranking on a test set built from the real ROME 4.0 (DATA_DIR/rome4): for 400 appellations drawn
with a fixed seed, a person wants that appellation and four offers wait in the same commune — one in the same
fiche family (same ROME v3 parent), one in a fiche the ROME's mobility links lead to, one in another family of
the same domaine professionnel, one in an unrelated domaine. The same-family offer must rank first, the mobility
target before the same-domaine one, and the unrelated offer must not be proposed (docs/matching.md)."""

import csv
import random
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from matching.engine import OfferIndex, Profile, rank_offers
from matching.occupations import OccupationGraph
from reach.travel import Mode, TravelModel


def rows(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


@pytest.fixture(scope="module")
def referential():
    rome = settings.DATA_DIR / "rome4"
    fiches = list(rows(rome / "unix_referentiel_code_rome_v460_utf8.csv"))
    domaines = {
        r["code_rome"]: r["code_domaine_professionel"] for r in rows(rome / "unix_cr_gd_dp_v460_utf8.csv")
    }
    codes = [f["code_rome"] for f in fiches]
    index = {code: i for i, code in enumerate(codes)}
    parent_of = {f["code_rome"]: f["code_rome_parent"] for f in fiches}
    parent_ids = {p: i for i, p in enumerate(sorted(set(parent_of.values())))}
    domaine_ids = {d: i for i, d in enumerate(sorted(set(domaines.values())))}
    mobility = defaultdict(list)
    for r in rows(rome / "unix_rubrique_mobilite_v460_utf8.csv"):
        mobility[index[r["code_rome"]]].append((index[r["code_rome_cible"]], int(r["numero_ordre"])))
    graph = OccupationGraph(
        codes=codes,
        labels=[f["libelle_rome"] for f in fiches],
        parents=np.array([parent_ids[parent_of[c]] for c in codes]),
        domaines=np.array([domaine_ids[domaines[c]] for c in codes]),
        mobility=dict(mobility),
        core_skills=[frozenset() for _ in codes],
    )
    appellations = [
        (r["code_ogr"], r["code_rome"]) for r in rows(rome / "unix_referentiel_appellation_v460_utf8.csv")
    ]
    return graph, appellations, parent_of, domaines


@pytest.mark.real_data
def test_the_right_fiche_family_ranks_first(referential):
    graph, appellations, parent_of, domaines = referential
    travel = TravelModel(
        codes=np.array(["80021"]),
        latitudes=np.array([49.894]),
        longitudes=np.array([2.302]),
        contexts=np.array([0]),
    )
    rng = random.Random(0)
    by_domaine = defaultdict(list)
    for code in graph.codes:
        by_domaine[domaines[code]].append(code)
    cases = checked = first_right = mobility_before_domaine = unrelated_proposed = 0
    for _ogr, wanted in rng.sample(appellations, 400):
        family = [c for c in graph.codes if parent_of[c] == parent_of[wanted]]
        linked = [
            graph.codes[t]
            for t, _rank in graph.mobility.get(graph.index[wanted], [])
            if parent_of[graph.codes[t]] != parent_of[wanted]
        ]
        same_domaine = [
            c for c in by_domaine[domaines[wanted]] if parent_of[c] != parent_of[wanted] and c not in linked
        ]
        targets = {graph.codes[t] for t, _rank in graph.mobility.get(graph.index[wanted], [])}
        unrelated = [c for c in graph.codes if domaines[c][0] != domaines[wanted][0] and c not in targets]
        if not (linked and same_domaine):
            continue
        cases += 1
        offer_fiches = [
            rng.choice(family),
            rng.choice(linked),
            rng.choice(same_domaine),
            rng.choice(unrelated),
        ]
        offers = OfferIndex(
            ids=np.arange(4),
            fiches=np.array([graph.index[c] for c in offer_fiches]),
            communes=np.zeros(4, dtype=int),
            contracts=np.zeros(4, dtype=int),
            working_times=np.zeros(4, dtype=int),
            experience_months=np.full(4, np.nan),
            published_days=np.full(4, 100.0),
        )
        profile = Profile(residence="80021", wanted_fiches=[wanted], modes=frozenset({Mode.WALK}))
        ranked = [
            m.offer_id
            for m in rank_offers(profile=profile, offers=offers, graph=graph, travel=travel, today=100.0)
        ]
        checked += 1
        first_right += ranked[0] == 0
        mobility_before_domaine += ranked.index(1) < ranked.index(2) if 2 in ranked else 1
        unrelated_proposed += 3 in ranked
    assert cases >= 300
    assert first_right == checked
    assert mobility_before_domaine == checked
    assert unrelated_proposed == 0
