"""Cost of the shared rate-limit counter (core.ratelimit on the database cache, core.cache) per API request.

    .venv/bin/python bench/ratelimit_speed.py [--hits 3000]
    DATABASE_URL=postgres://… .venv/bin/python bench/ratelimit_speed.py   # on PostgreSQL (its cache table must
                                                                           # exist: reseau-emploi createcachetable)

Without DATABASE_URL it runs on a throwaway SQLite file (WAL, as configured for the app) with only the cache
table. Two cases: every hit on the same client's counter (the common case: `incr` of an existing row) and every
hit opening a new window (`incr` misses, `add`, `incr`: once per client and window). Wall and CPU per hit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOW_GENERATED_SECRET_KEY", "1")
_workdir = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_workdir.name}/bench.sqlite3")
os.environ.pop("CACHE_URL", None)


def measure(hits: int, key_of) -> dict:
    from core import ratelimit

    walls = []
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for index in range(hits):
        start = time.perf_counter()
        ratelimit.hit(key_of(index), window=60, now=1_800_000_000.0)
        walls.append(time.perf_counter() - start)
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    walls.sort()
    return {
        "wall_ms": 1000 * wall / hits,
        "cpu_ms": 1000 * cpu / hits,
        "p50_ms": 1000 * statistics.median(walls),
        "p95_ms": 1000 * walls[int(0.95 * len(walls))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hits", type=int, default=3000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("createcachetable", verbosity=0)
    print(f"database: {connection.vendor}, {args.hits} hits per case")
    for label, key_of in (
        ("same counter (incr)", lambda index: "bench-client"),
        ("new window each hit (incr miss, add, incr)", lambda index: f"bench-client-{index}"),
    ):
        result = measure(args.hits, key_of)
        print(
            f"{label}: {result['wall_ms']:.3f} ms wall / {result['cpu_ms']:.3f} ms CPU per hit "
            f"(p50 {result['p50_ms']:.3f} ms, p95 {result['p95_ms']:.3f} ms)"
        )


if __name__ == "__main__":
    main()
