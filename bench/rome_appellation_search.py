"""Quality and speed of the appellation search on real job-offer titles.

For the title (`intitule`) of each offer of DATA_DIR/offers/francetravail_offers_dev.jsonl, the first result is
right when its fiche and the offer's `romeCode` share the same ROME v3 parent (`code_rome_parent`). Only the
title is used, never the offer's ROME or appellation labels.

    .venv/bin/python bench/rome_appellation_search.py [--data-dir DIR] [--from-db] [--errors N]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--from-db", action="store_true", help="build the index from the database (sync_rome)"
    )
    parser.add_argument("--errors", type=int, default=0, help="print N wrong answers")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from rome import search
    from rome.sources import read_referential

    data_dir = args.data_dir or settings.DATA_DIR
    ref = read_referential(data_dir / "rome4", data_dir / "rome3" / "rome_v3_fiches.csv")
    parent_of = {code: fiche["parent_code"] for code, fiche in ref.fiches.items()}

    started = time.perf_counter()
    index = search.build_from_db() if args.from_db else search.build_from_referential(ref)
    build_seconds = time.perf_counter() - started

    offers = [json.loads(line) for line in (data_dir / "offers" / "francetravail_offers_dev.jsonl").open()]
    evaluated = right = right_top3 = skipped = 0
    timings, cpu_timings, errors = [], [], []
    for offer in offers:
        title, expected = (offer.get("intitule") or "").strip(), parent_of.get(offer.get("romeCode") or "")
        if not title or expected is None:
            skipped += 1
            continue
        started, cpu_started = time.perf_counter(), time.process_time()
        results = index.search(title, limit=3)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        evaluated += 1
        parents = [parent_of[m.entry.rome_code] for m in results]
        right += bool(parents) and parents[0] == expected
        right_top3 += expected in parents
        if parents and parents[0] != expected and len(errors) < args.errors:
            errors.append(
                f"  {title!r}: {results[0].entry.label} ({results[0].entry.rome_code}), expected {expected}"
            )

    timings.sort()
    cpu_timings.sort()
    print(
        f"index: {len(index)} appellations built in {build_seconds:.2f} s ({'database' if args.from_db else 'files'})"
    )
    print(f"offers: {evaluated} evaluated, {skipped} skipped (no title or unknown ROME code)")
    print(f"accuracy@1 (ROME v3 parent): {right / evaluated:.1%}")
    print(f"accuracy@3 (ROME v3 parent): {right_top3 / evaluated:.1%}")
    print(
        f"query time: p50 {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(0.95 * len(timings)) - 1]:.2f} ms, max {timings[-1]:.2f} ms"
    )
    print(
        f"query CPU time (what the machine's load does not inflate): p50 {statistics.median(cpu_timings):.2f} ms, "
        f"p95 {cpu_timings[int(0.95 * len(cpu_timings)) - 1]:.2f} ms"
    )
    for line in errors:
        print(line)


if __name__ == "__main__":
    main()
