"""Diagnosis speed on the real data of DATA_DIR: load time of each labour-market import, recompute time of every
indicator of the region (target < 10 s) and render time of the diagnosis pages (target < 500 ms).

Builds a throwaway SQLite database (or uses DATABASE_URL when set), loads territories, ROME and the labour-market
files, adds N synthetic offers to the platform's pool (spread over the region's communes and the ROME codes of the
2021 offers, half of them closed) so the live figures are part of the recompute, then measures.

    .venv/bin/python bench/diagnosis_speed.py [--pool-offers 20000] [--renders 5]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool-offers", type=int, default=20000)
    parser.add_argument("--renders", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="diagnosis-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from diagnosis.indicators import recompute_indicators
    from diagnosis.models import Indicator, OfferCount
    from diagnosis.reference import SYNC_COMMANDS
    from offers.models import Offer
    from territories.models import Commune

    call_command("migrate", verbosity=0)
    for name in ("sync_territories", "sync_rome"):
        call_command(name, write=True, verbosity=0)
    print("Labour-market imports (write, first load, then a second idempotent run):")
    for name in SYNC_COMMANDS[:-1]:
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            call_command(name, write=True, verbosity=0)
            timings.append(time.perf_counter() - started)
        print(f"  {name:28s} {timings[0]:6.2f} s   again: {timings[1]:6.2f} s")

    communes = list(Commune.objects.filter(region_id=settings.REGION_CODE).values_list("code", flat=True))
    romes = list(OfferCount.objects.values_list("rome_code", flat=True).distinct())
    rng = random.Random(6)
    now = timezone.now()
    offers = []
    for index in range(args.pool_offers):
        published = now - timedelta(days=rng.randint(0, 540))
        offers.append(
            Offer(
                title=f"Offre {index}",
                commune_id=rng.choice(communes),
                rome_code=rng.choice(romes),
                status=Offer.Status.CLOSED if index % 2 else Offer.Status.OPEN,
                published_at=published,
            )
        )
    Offer.objects.bulk_create(offers, batch_size=5000)
    print(
        f"Pool: {args.pool_offers} synthetic offers over {len(communes)} communes and {len(romes)} ROME codes"
    )

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        count = recompute_indicators()
        timings.append(time.perf_counter() - started)
    print(
        f"Recompute every indicator of region {settings.REGION_CODE}: {count} rows, "
        f"median {statistics.median(timings):.2f} s (runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )

    user = User.objects.create_superuser(email="bench@example.org", password="bench-password-123")
    client = Client()
    client.force_login(user)
    pages = [
        f"/diagnostic/region/{settings.REGION_CODE}/",
        "/diagnostic/departement/80/",
        "/diagnostic/bassin/3202/",
        "/diagnostic/bassin/3202/?metier=J1501",
        "/diagnostic/bassin/3202/export/tension.xlsx",
        "/diagnostic/bassin/3202/rapport.pdf",
    ]
    print(f"Renders ({args.renders} each after one warm-up; {Indicator.objects.count()} indicator rows):")
    for url in pages:
        client.get(url)
        timings = []
        for _ in range(args.renders):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"  {url:45s} median {1000 * statistics.median(timings):6.0f} ms, max {1000 * max(timings):6.0f} ms, "
            f"{len(response.content) // 1024} KB"
        )


if __name__ == "__main__":
    main()
