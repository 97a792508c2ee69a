from __future__ import annotations

from datetime import date, time
from pathlib import Path

import numpy as np
from django.db import transaction

from reach import gtfs
from reach.models import TransitFeed, TransitTime
from territories.models import Commune


def import_gtfs(
    *, source: Path, name: str, service_date: date, window_start: time, window_end: time, write: bool
) -> dict:
    """Compute commune-to-commune public transport times from a GTFS feed and (with `write`) replace the feed's
    stored times in one transaction. Returns a report."""
    feed = gtfs.read_feed(source, service_date=service_date)
    rows = list(
        Commune.objects.exclude(latitude=None).order_by("code").values_list("code", "latitude", "longitude")
    )
    codes = [row[0] for row in rows]
    times = gtfs.commune_times(
        feed,
        codes=codes,
        latitudes=np.array([row[1] for row in rows], dtype=float),
        longitudes=np.array([row[2] for row in rows], dtype=float),
        window_start=window_start,
        window_end=window_end,
    )
    report = {
        "stops": len(feed.stops),
        "connections": len(feed.connections),
        "pairs": len(times),
        "communes_served": len({origin for origin, _ in times}),
        "rejected": feed.rejected[:200],
        "rejected_count": len(feed.rejected),
    }
    if write:
        with transaction.atomic():
            record, _created = TransitFeed.objects.update_or_create(
                name=name,
                defaults={
                    "file_name": source.name,
                    "service_date": service_date,
                    "window_start": window_start,
                    "window_end": window_end,
                    "stops": len(feed.stops),
                    "connections": len(feed.connections),
                    "report": report,
                },
            )
            record.times.all().delete()
            TransitTime.objects.bulk_create(
                (
                    TransitTime(feed=record, origin_id=origin, destination_id=destination, minutes=minutes)
                    for (origin, destination), minutes in times.items()
                ),
                batch_size=5000,
            )
    return report
