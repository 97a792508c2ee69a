"""Where the importing process's time goes: the CPU and wall time per offer of each step of the writer (the
process that deduplicates and stores, while a forked process prepares the next batches: its steps are not
timed here), and what the pool index's candidate cut scanned.

    .venv/bin/python bench/offers_import_split.py var/bench/offers_100k.jsonl --database postgres://…/offers_100k
    .venv/bin/python bench/offers_import_split.py var/bench/offers_new_10k_b.jsonl --keep-pool \
        --database postgres://…/offers_1m_pg3     # new offers into a pool already loaded

Times are inclusive (a step's time holds the steps it calls: `clustering.assign` holds `PoolIndex.candidates`,
which holds the cuts). Without `--keep-pool` the pool is emptied first, as `offers_speed.py` does. Timing every
call of the cuts costs a few percent: compare runs of this script with each other, not with `offers_speed.py`.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import time
from pathlib import Path

import offers_speed

CPU: collections.Counter = collections.Counter()
WALL: collections.Counter = collections.Counter()
SCANS: collections.Counter = collections.Counter()


def timed(owner, name: str, label: str) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        key = f"{label}:{args[0].__name__}" if name == "fast_insert" else label
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            CPU[key] += time.process_time() - cpu
            WALL[key] += time.perf_counter() - wall

    setattr(owner, name, wrapper)


def counted_cuts() -> None:
    """Count what the candidate cut scans: distinct titles, members passing the title cut, then the employer cut."""
    from offers import clustering

    close_titles, employers_compatible = clustering.close_titles, clustering.employers_compatible

    def counting_close_titles(sorted_title, titles):
        passing = close_titles(sorted_title, titles)
        SCANS["block scans"] += 1
        SCANS["distinct titles scanned"] += len(titles)  # the pool index passes each block's distinct titles
        SCANS["members passing the title cut"] += len(passing)
        return passing

    def counting_employers_compatible(*args):
        compatible = employers_compatible(*args)
        SCANS["members passing the employer cut"] += compatible
        return compatible

    clustering.close_titles = counting_close_titles
    clustering.employers_compatible = counting_employers_compatible


def instrument() -> None:
    from offers import clustering, dedup, services

    for name in (
        "_store_batch",  # _store and the batch's commit
        "_store",
        "fast_insert",
        "fast_bulk_update",
        "_save_reviews",
        "rebuild_offers",
        "_canonical",
        "collect_batch_garbage",
    ):
        timed(services, name, name)
    timed(clustering, "assign", "clustering.assign")
    timed(clustering, "index_blocks", "clustering.index_blocks")
    timed(clustering.PoolIndex, "candidates", "PoolIndex.candidates")
    timed(clustering.PoolIndex, "_load_blocks", "PoolIndex._load_blocks")
    timed(clustering.PoolIndex, "_load_records", "PoolIndex._load_records")
    timed(dedup, "assign_incremental", "dedup.assign_incremental")
    counted_cuts()


def server_cpu_seconds() -> float | None:
    """CPU seconds used so far by the local PostgreSQL server's processes (the postmaster and its children: this
    connection's backend, the WAL writer, the checkpointer, autovacuum), from /proc; None on SQLite. Processes
    that exit in between (autovacuum workers) take their time with them: a lower bound."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def stat(pid) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    postmaster = int(stat(backend)[1])
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = stat(entry.name)
        except OSError:
            continue
        if int(entry.name) == postmaster or int(fields[1]) == postmaster:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", type=Path, help="offers in France Travail JSON Lines (bench/offers_generate.py)"
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--keep-pool", action="store_true", help="import into the pool already loaded")
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args(argv)
    offers_speed.setup(args.database)
    if not args.keep_pool:
        offers_speed.empty_pool()
    normaliser = offers_speed.warm_up()
    instrument()
    server = server_cpu_seconds()
    cpu = time.process_time()
    run, seconds, cpu_all = offers_speed.run_import(
        args.file, source_name="bench", batch_size=args.batch_size, normaliser=normaliser
    )
    writer_cpu = time.process_time() - cpu
    count = run.read_count
    if server is not None:
        server = server_cpu_seconds() - server
        print(f"PostgreSQL server CPU {server:.1f} s ({server * 1000 / count:.3f} ms per offer)")
    print(
        f"{count:,} offers in {seconds:.1f} s; writer CPU {writer_cpu:.1f} s ({writer_cpu * 1000 / count:.3f} ms per"
        f" offer); both processes {cpu_all:.1f} s"
    )
    print(f"{'step':34} {'CPU ms/offer':>12} {'wall ms/offer':>14}")
    for key, seconds_cpu in CPU.most_common():
        print(f"{key:34} {seconds_cpu * 1000 / count:12.3f} {WALL[key] * 1000 / count:14.3f}")
    for key, value in SCANS.items():
        print(f"{key}: {value:,} ({value / count:.1f} per offer)")


if __name__ == "__main__":
    main()
