"""Matching speed: top 20 offers for one person among 1,000,000 offers, people for one offer among 500,000
records. Runs on the real ROME 4.0 structure and the region's real communes (read from DATA_DIR), with offers and
people spread like the 2021 offers of the region by commune (mobiville file). No database needed.

    .venv/bin/python bench/matching_speed.py [--offers 1000000] [--people 500000] [--queries 200]
"""

import argparse
import bz2
import csv
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from matching.engine import CONTRACTS, OfferIndex, PeopleIndex, Profile, rank_offers, rank_people
from matching.occupations import OccupationGraph
from reach.travel import CONTEXT_ORDER, Mode, TravelModel, classify_context

DATA_DIR = Path(os.environ.get("DATA_DIR", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))


def rows(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter)


def load_graph() -> OccupationGraph:
    rome = DATA_DIR / "rome4"
    fiches = list(rows(rome / "unix_referentiel_code_rome_v460_utf8.csv"))
    domaines = {
        r["code_rome"]: r["code_domaine_professionel"] for r in rows(rome / "unix_cr_gd_dp_v460_utf8.csv")
    }
    codes = [f["code_rome"] for f in fiches]
    index = {c: i for i, c in enumerate(codes)}
    parent_ids = {p: i for i, p in enumerate(sorted({f["code_rome_parent"] for f in fiches}))}
    domaine_ids = {d: i for i, d in enumerate(sorted(set(domaines.values())))}
    mobility = defaultdict(list)
    for r in rows(rome / "unix_rubrique_mobilite_v460_utf8.csv"):
        if r["code_rome"] in index and r["code_rome_cible"] in index:
            mobility[index[r["code_rome"]]].append((index[r["code_rome_cible"]], int(r["numero_ordre"])))
    skills = defaultdict(set)
    for r in rows(rome / "unix_coherence_item_v460_utf8.csv"):
        if r["code_rome"] in index:
            skills[index[r["code_rome"]]].add(int(r["code_ogr"]))
    return OccupationGraph(
        codes=codes,
        labels=[f["libelle_rome"] for f in fiches],
        parents=np.array([parent_ids[f["code_rome_parent"]] for f in fiches]),
        domaines=np.array([domaine_ids.get(domaines.get(c), -1) for c in codes]),
        mobility=dict(mobility),
        core_skills=[frozenset(skills[i]) for i in range(len(codes))],
    )


def load_travel() -> TravelModel:
    communes = [r for r in rows(DATA_DIR / "territories" / "communes_hauts_de_france.csv") if r["latitude"]]
    return TravelModel(
        codes=np.array([r["code_insee"] for r in communes]),
        latitudes=np.array([float(r["latitude"]) for r in communes]),
        longitudes=np.array([float(r["longitude"]) for r in communes]),
        contexts=np.array(
            [
                CONTEXT_ORDER.index(classify_context(population=int(r["population"] or 0), epci_kind=None))
                for r in communes
            ]
        ),
    )


def commune_weights(travel: TravelModel) -> np.ndarray:
    """Share of the region's 2021 offers per commune (mobiville), falling back to population weights."""
    counts = np.zeros(len(travel.codes))
    path = DATA_DIR / "labour_market" / "mobiville" / "20211221_mv_villes_offre_full.csv.bz2"
    if path.exists():
        with bz2.open(path, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                position = travel.index.get((row["commune"] or "").zfill(5))
                if position is not None:
                    counts[position] += float(row["nb_offre"] or 0)
    if counts.sum() == 0:
        counts[:] = 1
    return counts / counts.sum()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    graph, travel = load_graph(), load_travel()
    weights = commune_weights(travel)
    n_fiches = len(graph.codes)
    fiche_weights = rng.pareto(1.2, n_fiches) + 0.05
    fiche_weights /= fiche_weights.sum()

    offers = OfferIndex(
        ids=np.arange(args.offers, dtype=np.int64),
        fiches=rng.choice(n_fiches, args.offers, p=fiche_weights).astype(np.int32),
        communes=rng.choice(len(travel.codes), args.offers, p=weights).astype(np.int32),
        contracts=rng.integers(0, 5, args.offers).astype(np.int8),
        working_times=rng.integers(0, 3, args.offers).astype(np.int8),
        experience_months=rng.choice([np.nan, 0, 6, 24], args.offers),
        published_days=20_400 - rng.integers(0, 90, args.offers).astype(float),
    )
    wanted_counts = rng.integers(1, 4, args.people)
    offsets = np.concatenate([[0], np.cumsum(wanted_counts)])
    people = PeopleIndex(
        ids=np.arange(args.people, dtype=np.int64),
        residences=rng.choice(len(travel.codes), args.people, p=weights).astype(np.int32),
        mode_masks=rng.choice([1, 4, 5, 12, 17, 16], args.people).astype(np.int32),
        max_minutes=rng.choice([30.0, 45.0, 60.0], args.people),
        wanted_offsets=offsets,
        wanted_fiches=rng.choice(n_fiches, offsets[-1], p=fiche_weights).astype(np.int32),
        contract_masks=np.zeros(args.people, dtype=np.int32),
    )
    modes = list(Mode)

    timings = []
    for q in range(args.queries):
        person = int(rng.integers(args.people))
        wanted = people.wanted_fiches[offsets[person] : offsets[person + 1]]
        profile = Profile(
            residence=str(travel.codes[people.residences[person]]),
            wanted_fiches=[graph.codes[w] for w in wanted],
            contracts=frozenset({CONTRACTS[q % 3]}),
            modes=frozenset(m for bit, m in enumerate(modes) if people.mode_masks[person] & (1 << bit)),
            max_minutes=float(people.max_minutes[person]),
        )
        started = time.perf_counter()
        rank_offers(profile=profile, offers=offers, graph=graph, travel=travel, today=20_400.0, limit=20)
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(timings, [50, 95])
    print(
        f"offers for a person among {args.offers:,} offers: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({args.queries} queries)"
    )

    timings = []
    for _q in range(args.queries):
        offer = int(rng.integers(args.offers))
        started = time.perf_counter()
        rank_people(
            offer_fiche=graph.codes[offers.fiches[offer]],
            offer_commune=str(travel.codes[offers.communes[offer]]),
            offer_contract="CDI",
            people=people,
            graph=graph,
            travel=travel,
            limit=20,
        )
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(timings, [50, 95])
    print(
        f"people for an offer among {args.people:,} records: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({args.queries} queries)"
    )
    print(f"peak memory (RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
