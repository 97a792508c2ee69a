"""Offer search speed on pools already loaded (bench/offers_speed.py or `reseau-emploi offers import`): latency of
`offers.selectors.search_offers` for seeded queries of keyword + 30 km radius + contract/date filters, the
engine's own query path (count, facets, one page of results), measured in process.

    .venv/bin/python bench/offers_search_speed.py --database sqlite:///var/bench/search_10k.sqlite3 \
        --database postgres://postgres@127.0.0.1:54329/reseau_emploi [--queries 300] [--seed 0] \
        [--path index|database]

`--path index` (the default) searches the search index (offers.search_index), built first when missing or
behind (the build time is reported); `--path database` the databases' full-text indexes.

Each database is measured in a child process of its own (fresh caches of Python, same warm-up): wall and CPU
time (time.process_time of this process; PostgreSQL's server time is in the wall time only) as p50/p95/p99, the
mean number of results, the peak memory (RSS) of the child. With two databases or more, the p95 of each is
compared with the first one's (the bar: 1,000,000 offers within 3x the p95 on 10,000). The databases must be
migrated (the script migrates them: a new index is built on first use).

"Published within N days" counts back from the pool's newest publication, not from today: the generated pools
keep the real offers' dates (winter 2024-2025), and counted from today every such filter would match nothing and
flatter the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "boulanger",
    "aide soignant",
    "developpeur",
    "comptable",
    "vendeur",
    "cariste",
    "infirmier",
    "chauffeur",
    "serveur",
    "agent entretien",
    "magasinier",
    "assistant administratif",
]
CONTRACTS = [["CDI"], ["CDD"], ["CDI", "CDD"], ["INTERIM"], []]
PUBLISHED_WITHIN = [None, 30, 7]
SORTS = ["relevance", "relevance", "relevance", "date", "distance"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def queries(count: int, seed: int, centres: list[str]):
    from offers.selectors import SearchParams

    rng = random.Random(seed)
    for _ in range(count):
        yield SearchParams(
            q=rng.choice(WORDS),
            commune=rng.choice(centres),
            radius_km=30,
            contract=rng.choice(CONTRACTS),
            published_within_days=rng.choice(PUBLISHED_WITHIN),
            sort=rng.choice(SORTS),
        )


def measure(database_url: str, count: int, seed: int, warm_up: int, path: str) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["OFFERS_SEARCH_INDEX"] = "1" if path == "index" else "0"
    os.environ.setdefault("ALLOW_GENERATED_SECRET_KEY", "1")  # a benchmark database, no real secrets
    os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max

    from offers.models import Offer
    from offers.selectors import search_offers
    from territories.models import Commune

    call_command("migrate", verbosity=0)
    index_build_s = None
    if path == "index":
        from offers.search_index.store import current_index, refresh_search_index

        report = refresh_search_index()
        index_build_s = report.seconds if report else None
        if current_index() is None:
            raise SystemExit(f"{database_url}: the search index is not usable")
    newest = Offer.objects.aggregate(newest=Max("published_at"))["newest"]
    if newest is None:
        raise SystemExit(f"{database_url}: no offer with a publication date: import a pool first")
    pool_now = mock.patch("django.utils.timezone.now", return_value=newest + timedelta(minutes=1))
    pool_now.start()  # for the whole child process: see the module docstring
    # The bench pools' offers are spread like the region's real ones: centres are the region's towns.
    centres = list(
        Commune.objects.filter(region_id="32", population__gte=5000)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not centres:
        raise SystemExit(
            f"{database_url}: no commune of region 32 with 5,000 inhabitants: load the reference data"
        )
    for params in queries(warm_up, seed + 1, centres):
        search_offers(params)
    times, cpu_times, totals = [], [], []
    for params in queries(count, seed, centres):
        started, cpu = time.perf_counter(), time.process_time()
        result = search_offers(params)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        totals.append(result.total)
    return {
        "database": database_url,
        "vendor": connection.vendor,
        "path": path,
        "index_build_s": index_build_s,
        "open_offers": Offer.objects.filter(status=Offer.Status.OPEN).count(),
        "queries": count,
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        "max_ms": max(times),
        "cpu_p50_ms": statistics.median(cpu_times),
        "cpu_p95_ms": percentile(cpu_times, 0.95),
        "cpu_p99_ms": percentile(cpu_times, 0.99),
        "mean_results": statistics.mean(totals),
        "max_results": max(totals),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_average": os.getloadavg()[0],
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", required=True, help="database URL (repeatable)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warm-up", type=int, default=30, help="queries run first and not measured")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--path", choices=["index", "database"], default="index", help="what searches read")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.database[0], args.queries, args.seed, args.warm_up, args.path)))
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    results = []
    for url in args.database:
        child = subprocess.run(
            [sys.executable, __file__, "--child", "--database", url, "--queries", str(args.queries)]
            + ["--warm-up", str(args.warm_up), "--seed", str(args.seed), "--path", args.path],
            capture_output=True,
            text=True,
        )
        if child.returncode:
            sys.stderr.write(child.stderr)
            raise SystemExit(f"{url}: the measure failed (exit {child.returncode})")
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        results.append(figures)
        print(
            "{vendor} {open_offers} open offers, {path}{built}: p50 {p50_ms:.1f} ms, p95 {p95_ms:.1f} ms, p99 {p99_ms:.1f} ms, "
            "max {max_ms:.1f} ms | CPU p50 {cpu_p50_ms:.1f} ms, p95 {cpu_p95_ms:.1f} ms, p99 {cpu_p99_ms:.1f} ms | "
            "{mean_results:.0f} results on average (max {max_results}) | peak RSS {peak_rss_mb:.0f} MB | "
            "load average {load_average:.1f} after the run ({queries} queries)".format(
                built=f" (built in {figures['index_build_s']:.1f} s)" if figures["index_build_s"] else "",
                **figures,
            ),
            flush=True,
        )
    for figures in results[1:]:
        print(
            f"p95 ratio {figures['open_offers']} / {results[0]['open_offers']} offers: "
            f"{figures['p95_ms'] / results[0]['p95_ms']:.2f}x wall, "
            f"{figures['cpu_p95_ms'] / results[0]['cpu_p95_ms']:.2f}x CPU",
            flush=True,
        )


if __name__ == "__main__":
    main()
