"""Speed of the pool of offers, end to end through the real pipeline (connector -> normalisation -> ROME coding ->
incremental deduplication -> canonical offers -> search index) on a database of its own.

    .venv/bin/python bench/offers_generate.py 1000000 var/bench/offers_1m.jsonl
    .venv/bin/python bench/offers_speed.py var/bench/offers_1m.jsonl [--incremental var/bench/offers_new_10k.jsonl]
        [--database sqlite:///var/bench/offers.sqlite3] [--queries 200] [--profile]

Measures: import throughput (offers/s, whole pipeline), the search index's build, an incremental batch into the
pool and the first search after it (the index catching up with the changed offers), search latency (p50/p95 over
keyword + 30 km radius + filters queries) and the peak memory of the process. `--keep --incremental FILE`
imports only the incremental batch into the pool already loaded. The database is
created and loaded with the reference data (territories, ROME) on first use, then emptied of offers before
each run. Run the search on two pools (10,000 and 1,000,000 offers) to compare their p95.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("ALLOW_GENERATED_SECRET_KEY", "1")  # a benchmark database, no real secrets
    os.environ.setdefault(
        "VAR_DIR", str(ROOT / "var" / "bench")
    )  # the ROME model file is built there if absent
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rome.models import Fiche
    from territories.models import Commune

    if not Commune.objects.exists():
        call_command("sync_territories", write=True, verbosity=0)
    if not Fiche.objects.exists():
        call_command("sync_rome", write=True, verbosity=0)


def empty_pool() -> None:
    from django.db import connection

    from offers.models import (
        DedupBlock,
        ImportRun,
        Offer,
        Publication,
        RomeReview,
        SearchChange,
        SearchDatabase,
        Source,
    )

    models = (RomeReview, DedupBlock, Publication, Offer, ImportRun, Source, SearchChange, SearchDatabase)
    if connection.vendor == "postgresql":
        # As in a new database: a DELETE would leave every row dead in the tables and their indexes. CASCADE
        # empties what refers to offers too (jobseekers' needs): a benchmark database holds nothing else.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in models)} CASCADE")
        return
    # Raw deletes, children first: the ORM's cascade collects every id (too many SQL variables at 300,000).
    for model in models:
        model.objects.all()._raw_delete(model.objects.db)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO offers_offer_fts(offers_offer_fts) VALUES ('rebuild')")


def peak_memory_mb() -> float:
    """Peak resident memory of this process and of the largest process it forked (the batch preparation)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of the processes it forked and waited for (the batch preparation)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def warm_up():
    """Load what an import loads once (ROME model, communes and ROME tables) outside the measured time."""
    from offers import rome_coding
    from offers.normalise import Normaliser

    started = time.perf_counter()
    rome_coding._coder()
    normaliser = Normaliser()
    print(f"warm-up (ROME model, reference tables): {time.perf_counter() - started:.1f} s", flush=True)
    return normaliser


def run_import(path: Path, *, source_name: str, batch_size: int, normaliser=None, parallel: bool = True):
    from offers import services
    from offers.connectors import connector

    source = services.get_or_create_source(name=source_name, kind="francetravail")
    started, cpu = time.perf_counter(), cpu_seconds()
    run = services.import_records(
        source=source,
        records=connector("francetravail")(path, source=source_name),
        batch_size=batch_size,
        normaliser=normaliser,
        parallel=parallel,
    )
    return run, time.perf_counter() - started, cpu_seconds() - cpu


def search_latencies(queries: int, seed: int = 0) -> dict:
    from offers.selectors import SearchParams, search_offers
    from territories.models import Commune

    rng = random.Random(seed)
    centres = list(
        Commune.objects.filter(region_id="32", population__gte=5000).values_list("code", flat=True)
    ) or list(Commune.objects.order_by("-population").values_list("code", flat=True)[:50])
    words = [
        "boulanger",
        "aide soignant",
        "developpeur",
        "comptable",
        "vendeur",
        "cariste",
        "infirmier",
        "chauffeur",
    ]
    contracts = [["CDI"], ["CDD"], ["CDI", "CDD"], ["INTERIM"], []]
    times, cpu_times, totals = [], [], []
    for _ in range(queries):
        params = SearchParams(
            q=rng.choice(words),
            commune=rng.choice(centres),
            radius_km=30,
            contract=rng.choice(contracts),
            published_within_days=rng.choice([None, 30]),
        )
        started, cpu = time.perf_counter(), time.process_time()
        result = search_offers(params)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        totals.append(result.total)
    times.sort()
    cpu_times.sort()
    return {
        "cpu_p95_ms": cpu_times[int(0.95 * (len(cpu_times) - 1))],
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "max_ms": times[-1],
        "mean_results": statistics.mean(totals),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", type=Path, help="offers in France Travail JSON Lines (bench/offers_generate.py)"
    )
    parser.add_argument("--incremental", type=Path, help="a further batch imported into the pool afterwards")
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'offers.sqlite3'}")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=5000,
        help="of the first import (the incremental batch: 2,000, as `offers import`)",
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="search the pool already loaded, import nothing")
    parser.add_argument("--profile", action="store_true", help="cProfile the import, top functions on stderr")
    parser.add_argument(
        "--serial", action="store_true", help="prepare batches in the main process (no forked preparation)"
    )
    args = parser.parse_args(argv)
    setup(args.database)
    from django.db import connection

    from offers.models import Offer, Publication

    print(
        f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    if not args.keep:
        empty_pool()
        normaliser = warm_up()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        run, seconds, cpu = run_import(
            args.file,
            source_name="bench",
            batch_size=args.batch_size,
            normaliser=normaliser,
            parallel=not args.serial,
        )
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        print(
            f"import {run.read_count} offers in {seconds:.1f} s: {run.read_count / seconds:.0f} offers/s "
            f"(CPU {cpu:.1f} s: {run.read_count / cpu:.0f} offers per CPU second) "
            f"(created {run.created_count}, rejected {run.rejected_count}; {Offer.objects.count()} offers after "
            f"deduplication){' — ' + run.message if run.message else ''}",
            flush=True,
        )
    if (
        args.keep
    ):  # an import refreshes the planner statistics itself; a pool loaded by older code may lack them
        from offers.services import refresh_statistics

        refresh_statistics()
    from offers.search_index.store import build_search_index, current_index, refresh_search_index

    report = build_search_index() if not args.keep else refresh_search_index()
    if report is not None:
        print(
            f"search index: {report.offers} open offers read and saved in {report.seconds:.1f} s", flush=True
        )
    if args.incremental:
        current_index()  # this process's copy, as a web process would hold it before the batch
        from offers.services import BATCH_SIZE

        run, seconds, cpu = run_import(
            args.incremental,
            source_name="bench-incremental",
            batch_size=BATCH_SIZE,  # as `offers import` runs a partner's file
            normaliser=warm_up(),
            parallel=not args.serial,
        )
        print(
            f"incremental {run.read_count} offers into the pool in {seconds:.1f} s (CPU {cpu:.1f} s)",
            flush=True,
        )
        started = time.perf_counter()
        index = current_index()
        changed = len(index.segments[-1][0]) if index is not None else "too many"
        print(
            f"first search after it: the index read {changed} changed open offers again in "
            f"{time.perf_counter() - started:.2f} s",
            flush=True,
        )
    print(f"pool: {Publication.objects.count()} publications, {Offer.objects.count()} offers", flush=True)
    figures = search_latencies(args.queries)
    print(
        "search keyword + 30 km + filters: p50 {p50_ms:.1f} ms, p95 {p95_ms:.1f} ms (CPU p95 {cpu_p95_ms:.1f} ms), "
        "max {max_ms:.1f} ms, {mean_results:.0f} results on average".format(**figures),
        flush=True,
    )
    own, preparation = peak_memory_mb()
    print(f"peak memory: {own:.0f} MB (main process), {preparation:.0f} MB (batch preparation)", flush=True)


if __name__ == "__main__":
    main()
