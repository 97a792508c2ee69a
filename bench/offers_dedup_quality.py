"""Deduplication quality on DATA_DIR/offers/dedup_dev/ (three sources, truth.jsonl): pairwise precision, recall,
F1 of the product's path (the offers connectors parse the files, offers.dedup groups them), against the
baseline "same employer + same postal code + fuzzy title", plus speed.

    .venv/bin/python bench/offers_dedup_quality.py [--data-dir DIR] [--errors N] [--pool N --batch M]
        [--clusters clusters.jsonl]

`--clusters` scores the pipeline's own output: after `reseau-emploi offers import` of the three files (sources
francetravail, region with `--mapping region.mapping.json`, jobboard) into an empty pool, `reseau-emploi offers
export-clusters clusters.jsonl`.

Pairwise: every pair of publications put in one group is a predicted pair; it is right when truth.jsonl puts
them in one cluster. The incremental check adds the files in three time-ordered batches and compares with the
full rebuild.

Scale (`--pool N --batch M`): N generated publications (the dev offers' titles, texts and contracts, spread over
the communes of France in proportion to their population, 1 employer in 5 anonymous, one in four published again
by another source) form the pool; then a batch of M new ones is assigned incrementally. Reports throughput,
batch time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from offers.canonical import CanonicalOffer  # noqa: E402
from offers.connectors import connector  # noqa: E402

DAY0 = datetime(2025, 1, 1, tzinfo=UTC)
SOURCES = (
    ("francetravail", "francetravail.json", "francetravail", None),
    ("jobboard", "jobboard.jsonld.json", "jobposting", None),
    ("region", "region.csv", "csv", "region.mapping.json"),
)


def load_dev(folder: Path) -> tuple[list[CanonicalOffer], dict[tuple[str, str], str]]:
    offers = []
    for source, name, format_name, mapping in SOURCES:
        parse = connector(format_name)
        options = {"mapping": folder / mapping} if mapping else {}
        for item in parse(folder / name, source=source, **options):
            if isinstance(item, CanonicalOffer):
                offers.append(item)
            else:
                print(f"  rejected {source} line {item.line}: {item.reason}")
    truth = {}
    with (folder / "truth.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            truth[(row["source"], row["source_id"])] = row["cluster"]
    return offers, truth


def pairs(labels: list) -> set[tuple[int, int]]:
    groups = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return {pair for members in groups.values() for pair in combinations(members, 2)}


def scores(predicted: list, truth: list) -> dict:
    predicted_pairs, true_pairs = pairs(predicted), pairs(truth)
    right = len(predicted_pairs & true_pairs)
    precision = right / len(predicted_pairs) if predicted_pairs else 1.0
    recall = right / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pairs": len(predicted_pairs),
        "true": len(true_pairs),
    }


def baseline(offers: list[CanonicalOffer]) -> list[int]:
    """Employer + postal code + fuzzy title (rapidfuzz token_set_ratio >= 90), linked transitively."""
    from rapidfuzz import fuzz

    from core.text import fold

    parent = list(range(len(offers)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks = defaultdict(list)
    for i, offer in enumerate(offers):
        blocks[(fold(offer.employer_name), offer.postal_code)].append(i)
    for members in blocks.values():
        for a, b in combinations(members, 2):
            if fuzz.token_set_ratio(fold(offers[a].title), fold(offers[b].title)) >= 90:
                parent[root(a)] = root(b)
    return [root(i) for i in range(len(offers))]


def generated(offers: list[CanonicalOffer], count: int, *, seed: int, prefix: str) -> list[CanonicalOffer]:
    import csv
    import random
    from dataclasses import replace
    from datetime import timedelta
    from itertools import accumulate

    rng = random.Random(seed)
    communes = []
    with (Path(settings.DATA_DIR) / "territories" / "communes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["lat"] and row["population_2021"]:
                communes.append(
                    (
                        row["insee_com"],
                        row["code_postal"],
                        row["commune"],
                        float(row["lat"]),
                        float(row["lng"]),
                        int(row["population_2021"]),
                    )
                )
    cumulative = list(accumulate(c[5] for c in communes))
    result = []
    while len(result) < count:
        base = offers[rng.randrange(len(offers))]
        code, postal, name, lat, lon, _ = rng.choices(communes, cum_weights=cumulative)[0]
        employer = (
            "" if rng.random() < 0.2 else f"{base.employer_name or 'Entreprise'} {rng.randrange(20000)}"
        )
        first = replace(
            base,
            source="francetravail",
            source_id=f"{prefix}{len(result)}",
            employer_name=employer,
            commune_code=code,
            postal_code=postal,
            commune_name=name,
            latitude=lat,
            longitude=lon,
            published_at=(base.published_at or DAY0) + timedelta(days=rng.randrange(365)),
            raw={},
        )
        result.append(first)
        if rng.random() < 0.25 and len(result) < count:
            result.append(
                replace(
                    first,
                    source="jobboard",
                    source_id=f"{prefix}{len(result)}",
                    commune_code="",
                    contract_type="",
                    title=first.title + " - " + name,
                )
            )
    return result


def scale(offers: list[CanonicalOffer], pool_size: int, batch_size: int) -> None:
    import resource

    from offers import dedup

    pool = generated(offers, pool_size, seed=1, prefix="P")
    batch = generated(offers, batch_size, seed=2, prefix="B")
    index = dedup.DedupIndex()
    started, cpu = time.perf_counter(), time.process_time()
    dedup.assign([pool[i] for i in dedup.time_order(pool)], index)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"pool of {pool_size:,}: built in {wall:.1f} s ({pool_size / wall:,.0f}/s wall, {pool_size / cpu:,.0f}/s CPU)"
    )
    started, cpu = time.perf_counter(), time.process_time()
    ids = dedup.assign(batch, index)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    joined = sum(cluster_id < pool_size for cluster_id in ids)
    print(
        f"incremental batch of {batch_size:,} into {pool_size:,}: {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"({joined:,} joined a pool cluster)"
    )
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path(settings.DATA_DIR))
    parser.add_argument("--errors", type=int, default=0, help="print N wrong pairs of each kind")
    parser.add_argument("--pool", type=int, default=0, help="also time a generated pool of N publications")
    parser.add_argument("--batch", type=int, default=10_000, help="incremental batch size for --pool")
    parser.add_argument(
        "--clusters",
        type=Path,
        help="also score this `offers export-clusters` file (the pipeline's path: three `offers import`)",
    )
    args = parser.parse_args()
    folder = args.data_dir / "offers" / "dedup_dev"

    from offers import dedup

    started = time.perf_counter()
    offers, truth = load_dev(folder)
    parsed = time.perf_counter() - started
    missing = [o for o in offers if (o.source, o.source_id) not in truth]
    print(
        f"{len(offers)} publications parsed in {parsed:.2f} s ({Counter(o.source for o in offers)}), "
        f"{len(set(truth.values()))} true clusters, {len(missing)} not in truth"
    )
    true_labels = [truth.get((o.source, o.source_id), f"missing-{i}") for i, o in enumerate(offers)]

    started = time.perf_counter()
    cpu = time.process_time()
    _, cluster_ids = dedup.rebuild(offers)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = scores(cluster_ids, true_labels)
    base = scores(baseline(offers), true_labels)
    print(
        f"baseline (employer + postcode + fuzzy title): P {base['precision']:.4f}  R {base['recall']:.4f}  "
        f"F1 {base['f1']:.4f}"
    )
    print(
        f"offers.dedup full rebuild:                    P {result['precision']:.4f}  R {result['recall']:.4f}  "
        f"F1 {result['f1']:.4f}  ({result['pairs']} predicted pairs, {result['true']} true pairs, "
        f"{len(set(cluster_ids))} groups)"
    )
    print(f"speed: {len(offers) / elapsed:,.0f} publications/s wall, {len(offers) / cpu:,.0f}/s CPU")

    # Incremental: three batches in time order must give the rebuild's groups.
    order = dedup.time_order(offers)
    index = dedup.DedupIndex()
    incremental = [0] * len(offers)
    for part in range(3):
        chunk = order[part * len(order) // 3 : (part + 1) * len(order) // 3]
        for number, cluster_id in zip(chunk, dedup.assign([offers[i] for i in chunk], index), strict=True):
            incremental[number] = cluster_id
    final = [index.cluster_of(index.position[(o.source, o.source_id)]) for o in offers]
    same = pairs(final) == pairs(cluster_ids)
    print(f"incremental (3 batches) == full rebuild: {same}")

    if args.errors:
        predicted_pairs, true_pairs = pairs(cluster_ids), pairs(true_labels)
        for title, wrong in (
            ("false merges", predicted_pairs - true_pairs),
            ("missed pairs", true_pairs - predicted_pairs),
        ):
            print(f"-- {title}: {len(wrong)}")
            for a, b in sorted(wrong)[: args.errors]:
                for o in (offers[a], offers[b]):
                    print(
                        f"   {o.source}:{o.source_id} | {o.title} | {o.employer_name} | {o.postal_code} "
                        f"{o.commune_code} {o.commune_name} | {o.contract_type} | {o.published_at}"
                    )
                print()
    if args.clusters:
        with args.clusters.open(encoding="utf-8") as handle:
            exported = {(row["source"], row["source_id"]): row["cluster"] for row in map(json.loads, handle)}
        absent = sum((o.source, o.source_id) not in exported for o in offers)
        piped = scores(
            [exported.get((o.source, o.source_id), f"absent-{i}") for i, o in enumerate(offers)], true_labels
        )
        print(
            f"pipeline ({args.clusters.name}, {absent} publications absent): P {piped['precision']:.4f}  "
            f"R {piped['recall']:.4f}  F1 {piped['f1']:.4f}"
        )
        result = piped if piped["f1"] < result["f1"] else result
    if args.pool:
        scale(offers, args.pool, args.batch)
    return 0 if result["f1"] >= 0.97 else 1


if __name__ == "__main__":
    sys.exit(main())
