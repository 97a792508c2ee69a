"""Benchmark of the aids engine: a cohort in one vectorised OpenFisca simulation vs one situation at a time.

    .venv/bin/python bench/aids_batch.py [--size 100000] [--sample 200] [--api-requests 50]

Runs on a throwaway in-memory database (migrated, `sync-aids` run), with the communes of DATA_DIR's
territories/communes.csv (the engine's fallback), so it needs no prepared database.

- batch: `build_cohort` + `evaluate_columns` for SIZE situations (one OpenFisca simulation) — the engine's
  answer as arrays (status, amount, condition states per aid);
- one by one: the same two calls for a random SAMPLE of situations, one at a time; the time for SIZE is
  extrapolated from the sample (said in the output);
- materialising `AidResult` objects (reasons, questions) is per situation in both modes: timed separately;
- API: POST /api/v1/aids/evaluate through Django's full request stack (routing, validation, JSON), warm process.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--api-requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if "sqlite" in connection.settings_dict["ENGINE"]:
        connection.settings_dict["TEST"]["NAME"] = ":memory:"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    import numpy as np

    from aids.engine import evaluate_columns, results_for
    from aids.engine.cohort import build_cohort
    from aids.engine.system import tax_benefit_system
    from aids.selectors import catalogue_for_engine
    from aids.situations import Need, Person, Situation

    started = time.perf_counter()
    tax_benefit_system()
    print(f"tax-benefit system loaded in {time.perf_counter() - started:.1f} s (once per process)")
    from django.core.management import call_command

    call_command("sync_aids", write=True, stdout=io.StringIO())
    aids = catalogue_for_engine()
    print(
        f"catalogue: {len(aids)} aids ({sum(a.rule_kind == 'openfisca' for a in aids)} computed by OpenFisca)"
    )
    day = date(2025, 3, 12)

    with open(
        settings.DATA_DIR / "territories" / "communes_hauts_de_france.csv", newline="", encoding="utf-8"
    ) as f:
        rows = list(csv.DictReader(f))
    codes = [row["code_insee"] for row in rows]
    rng = np.random.default_rng(args.seed)

    def situation(i: int) -> Situation:
        kind = ("interview", "training", "job_start")[i % 3]
        children = [int(a) for a in rng.integers(0, 14, size=int(rng.integers(0, 4)))]
        return Situation(
            person=Person(
                age=int(rng.integers(17, 60)),
                status=("job_seeker", "job_seeker", "employee", "apprentice", "trainee")[
                    int(rng.integers(0, 5))
                ],
                job_seeker_category=int(rng.integers(1, 6)),
                registration_date=day - timedelta(days=int(rng.integers(10, 900))),
                allowance=("none", "are", "rsa", "ass")[int(rng.integers(0, 4))],
                allowance_daily_amount=float(rng.uniform(20, 60)),
                household=("single", "couple")[int(rng.integers(0, 2))],
                children_ages=children,
                monthly_income=float(rng.uniform(900, 3500)),
                household_monthly_income=float(rng.uniform(900, 6000)),
                reference_tax_income=float(rng.uniform(5000, 50000)),
                attached_to_parents=bool(rng.integers(0, 2)),
                partner_working=bool(rng.integers(0, 2)),
                residence_commune=codes[int(rng.integers(0, len(codes)))],
                driving_licence=bool(rng.integers(0, 2)),
                vehicle=bool(rng.integers(0, 2)),
                disability=False,
                mission_locale_follow_up=bool(rng.integers(0, 2)),
            ),
            need=Need(
                kind=kind,
                place_commune=codes[int(rng.integers(0, len(codes)))],
                contract_type=("cdi", "cdd", "ctt", "apprenticeship")[int(rng.integers(0, 4))],
                contract_months=float(rng.integers(1, 13)),
                weekly_hours=float(rng.integers(10, 36)),
                training_hours=float(rng.integers(20, 600)),
                training_funded=bool(rng.integers(0, 2)),
                start_date=day + timedelta(days=int(rng.integers(-5, 20))),
                round_trips=int(rng.integers(1, 22)),
            ),
            evaluation_date=day,
        )

    situations = [situation(i) for i in range(args.size)]
    # Warm-up: the commune index, the SMIC of the month, OpenFisca's caches.
    warm = build_cohort(situations[:50], day)
    evaluate_columns(warm, aids)

    started = time.perf_counter()
    cohort = build_cohort(situations, day)
    built = time.perf_counter()
    columns = evaluate_columns(cohort, aids)
    batch_seconds = time.perf_counter() - started
    print(
        f"batch: {args.size:,} situations × {len(aids)} aids in {batch_seconds:.2f} s "
        f"(cohort arrays {built - started:.2f} s, simulation and conditions {time.perf_counter() - built:.2f} s)"
        f" = {args.size / batch_seconds:,.0f} situations/s"
    )
    eligible = sum(int((c.status == 2).sum()) for c in columns)
    print(f"  {eligible:,} eligible (situation, aid) pairs")

    sample = [situations[int(i)] for i in rng.choice(args.size, size=args.sample, replace=False)]
    started = time.perf_counter()
    for one in sample:
        evaluate_columns(build_cohort([one], day), aids)
    per_one = (time.perf_counter() - started) / args.sample
    print(
        f"one by one: {per_one * 1000:.1f} ms per situation, measured on a random sample of {args.sample} "
        f"situations; extrapolated to {args.size:,}: {per_one * args.size:.0f} s = {1 / per_one:,.0f} situations/s"
    )
    print(f"ratio batch / one by one: {per_one * args.size / batch_seconds:.0f}×")

    started = time.perf_counter()
    count = min(args.size, 10_000)
    for index in range(count):
        results_for(columns, index, cohort)
    print(
        f"AidResult objects (reasons, questions): {(time.perf_counter() - started) / count * 1000:.2f} ms per "
        f"situation (measured on {count:,}), the same in both modes"
    )

    from django.test import Client

    client = Client()
    body = {
        "person": {
            "age": 27,
            "status": "job_seeker",
            "job_seeker_category": 1,
            "registration_date": "2024-09-01",
            "allowance": "none",
            "household": "single",
            "children_ages": [3],
            "residence_commune": codes[0],
            "driving_licence": False,
            "vehicle": False,
            "reference_tax_income": 11000,
            "household_monthly_income": 1100,
            "monthly_income": 1500,
        },
        "need": {
            "kind": "job_start",
            "place_commune": codes[-1],
            "contract_type": "cdi",
            "weekly_hours": 35,
            "start_date": day.isoformat(),
        },
        "evaluation_date": day.isoformat(),
    }
    client.post("/api/v1/aids/evaluate", body, content_type="application/json")
    timings = []
    for _ in range(args.api_requests):
        started = time.perf_counter()
        response = client.post("/api/v1/aids/evaluate", body, content_type="application/json")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    timings.sort()
    print(
        f"API POST /api/v1/aids/evaluate, one situation: median {statistics.median(timings):.0f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms, max {timings[-1]:.0f} ms over {args.api_requests} "
        "requests (warm process)"
    )


if __name__ == "__main__":
    main()
