"""CPU per offer of the import's preparation stage alone (`services.prepare_batch`: normalisation, ROME coding,
fingerprint, search text), in one process and without a database write: the half of the import that the forked
process runs. Identical code gives the same figure on a quiet machine, so it also tells how fast the machine is
running when other benchmarks are compared across hours.

    .venv/bin/python bench/offers_prepare_speed.py var/bench/offers_20k_head.jsonl [--limit 20000] [--profile [--sort tottime]]
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import time
from pathlib import Path

import offers_speed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", type=Path, help="offers in France Travail JSON Lines (bench/offers_generate.py)"
    )
    parser.add_argument(
        "--database", default="sqlite:///var/bench/offers.sqlite3", help="reference data only"
    )
    parser.add_argument("--limit", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--sort", default="cumulative", help="pstats order of --profile (tottime: own time)")
    parser.add_argument("--profile", action="store_true", help="print the 30 most expensive functions")
    args = parser.parse_args(argv)
    offers_speed.setup(args.database)
    from offers import services
    from offers.connectors import francetravail

    normaliser = offers_speed.warm_up()
    cpu = time.process_time()
    records = list(itertools.islice(francetravail.parse(args.file), args.limit))
    parsing = time.process_time() - cpu
    profile = cProfile.Profile() if args.profile else None
    cpu = time.process_time()
    if profile:
        profile.enable()
    for start in range(0, len(records), args.batch_size):
        services.prepare_batch(records[start : start + args.batch_size], normaliser)
    if profile:
        profile.disable()
    preparing = time.process_time() - cpu
    count = len(records)
    print(
        f"{count:,} offers: parsing {parsing * 1000 / count:.3f} ms, preparation {preparing * 1000 / count:.3f} ms"
        " of CPU per offer"
    )
    if profile:
        pstats.Stats(profile).sort_stats(args.sort).print_stats(30)


if __name__ == "__main__":
    main()
