"""Public transport travel times between communes from a GTFS timetable (the format every French network
publishes on transport.data.gouv.fr), by the Connection Scan Algorithm (Dibbelt et al., 2013).

Stops are attached to the nearest commune point within MAX_STOP_DISTANCE_KM; for each origin commune with stops,
the earliest arrival at every stop is computed for departures every DEPARTURE_STEP_MINUTES inside the window
(e.g. 7:00–9:00 on a weekday), and the best door-to-door time to each destination commune is kept: walking from the
commune point to the stop, waiting, riding with transfers, walking from the stop.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

import numpy as np

from core.csvfiles import LimitedLines, apply_field_size_limit
from core.sync import SourceError
from reach.travel import WALK_KMH, crow_distances_km

MAX_STOP_DISTANCE_KM = 3.0
MIN_TRANSFER_MINUTES = 2.0
DEPARTURE_STEP_MINUTES = 30
MAX_RIDE_SECONDS = 4 * 3600
WALK_DETOUR = 1.3


@dataclass
class Feed:
    stops: dict[str, tuple[float, float]]  # stop_id -> (lat, lon)
    connections: list[
        tuple[int, int, str, str, str]
    ]  # (dep s, arr s, from stop, to stop, trip) sorted by dep
    rejected: list[str] = field(default_factory=list)


def _seconds(value: str, *, path: str, line: int, field_name: str) -> int:
    try:
        hours, minutes, seconds = (int(part) for part in value.strip().split(":"))
    except ValueError as exc:
        raise SourceError(f"time {value!r} is not HH:MM:SS", path=path, line=line, field=field_name) from exc
    return hours * 3600 + minutes * 60 + seconds


class _Archive:
    """A GTFS feed as a zip file or a folder of .txt files."""

    def __init__(self, source: Path):
        self.source = source
        self.rejected: list[str] = []  # rows that cannot be read, with file and line
        try:
            self.zip = zipfile.ZipFile(source) if source.suffix == ".zip" else None
        except zipfile.BadZipFile as exc:
            raise SourceError("not a zip archive", path=source) from exc

    def has(self, name: str) -> bool:
        if self.zip is not None:
            return name in self.zip.namelist()
        return (self.source / name).exists()

    def rows(self, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
        label = f"{self.source.name}/{name}"
        if not self.has(name):
            raise SourceError("file missing from the GTFS feed", path=label)
        try:
            stream = self.zip.open(name) if self.zip is not None else open(self.source / name, "rb")  # noqa: SIM115
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise SourceError(f"damaged archive member ({exc})", path=label) from exc
        # Line by line (stop_times.txt of a regional feed is hundreds of MB), each line bounded (core.csvfiles).
        apply_field_size_limit()
        with stream:
            lines = LimitedLines(stream, path=label, encodings=("utf-8",))
            try:
                yield from self._checked_rows(csv.DictReader(lines), lines, label, required)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise SourceError(f"damaged archive member ({exc})", path=label) from exc

    def _checked_rows(self, reader, lines: LimitedLines, label: str, required: tuple[str, ...]):
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if lines.take_too_long():
            raise SourceError("the header line is too long to be a header", path=label, line=1)
        if missing:
            raise SourceError(f"missing column(s) {', '.join(missing)}", path=label, line=1)
        columns = len(reader.fieldnames or [])
        for row in reader:
            self.rejected += [str(lines.too_long_error(line)) for line in lines.take_too_long()]
            values = (
                len(row) - 1 + len(row[None]) if None in row else sum(v is not None for v in row.values())
            )
            if values != columns:
                self.rejected.append(f"{label}:{reader.line_num}: {values} values for {columns} columns")
                continue
            yield reader.line_num, row
        self.rejected += [str(lines.too_long_error(line)) for line in lines.take_too_long()]


def _active_services(archive: _Archive, service_date: date) -> set[str]:
    active: set[str] = set()
    day = service_date.strftime("%Y%m%d")
    weekday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][
        service_date.weekday()
    ]
    if archive.has("calendar.txt"):
        for _line, row in archive.rows("calendar.txt", ("service_id", "start_date", "end_date", weekday)):
            if row["start_date"] <= day <= row["end_date"] and row[weekday].strip() == "1":
                active.add(row["service_id"])
    if archive.has("calendar_dates.txt"):
        for _line, row in archive.rows("calendar_dates.txt", ("service_id", "date", "exception_type")):
            if row["date"] == day:
                if row["exception_type"].strip() == "1":
                    active.add(row["service_id"])
                else:
                    active.discard(row["service_id"])
    return active


def read_feed(source: Path, *, service_date: date) -> Feed:
    """The stops and the day's connections of a GTFS feed. Rows that cannot be read are reported, not fatal."""
    archive = _Archive(source)
    rejected: list[str] = []
    stops = {}
    for line, row in archive.rows("stops.txt", ("stop_id", "stop_lat", "stop_lon")):
        try:
            stops[row["stop_id"]] = (float(row["stop_lat"]), float(row["stop_lon"]))
        except ValueError:
            rejected.append(
                f"{source.name}/stops.txt:{line}: stop {row['stop_id']!r} has no valid coordinates"
            )
    services = _active_services(archive, service_date)
    trips = {
        row["trip_id"]
        for _line, row in archive.rows("trips.txt", ("trip_id", "service_id"))
        if row["service_id"] in services
    }
    calls: dict[str, list[tuple[int, int, int, str]]] = {}
    for line, row in archive.rows(
        "stop_times.txt", ("trip_id", "stop_id", "stop_sequence", "arrival_time", "departure_time")
    ):
        if row["trip_id"] not in trips:
            continue
        label = f"{source.name}/stop_times.txt"
        try:
            sequence = int(row["stop_sequence"])
            arrival = _seconds(
                row["arrival_time"] or row["departure_time"], path=label, line=line, field_name="arrival_time"
            )
            departure = _seconds(
                row["departure_time"] or row["arrival_time"],
                path=label,
                line=line,
                field_name="departure_time",
            )
        except (SourceError, ValueError) as error:
            rejected.append(
                str(error) if isinstance(error, SourceError) else f"{label}:{line}: bad stop_sequence"
            )
            continue
        calls.setdefault(row["trip_id"], []).append((sequence, arrival, departure, row["stop_id"]))
    connections = []
    for trip, trip_calls in calls.items():
        trip_calls.sort()
        for (_s1, _a1, departure, from_stop), (_s2, arrival, _d2, to_stop) in zip(
            trip_calls, trip_calls[1:], strict=False
        ):
            if from_stop in stops and to_stop in stops and arrival >= departure:
                connections.append((departure, arrival, from_stop, to_stop, trip))
    connections.sort()
    return Feed(stops=stops, connections=connections, rejected=archive.rejected + rejected)


def commune_times(
    feed: Feed,
    *,
    codes: list[str],
    latitudes: np.ndarray,
    longitudes: np.ndarray,
    window_start: time,
    window_end: time,
) -> dict[tuple[str, str], float]:
    """{(origin code, destination code): best door-to-door minutes} for every pair of communes served."""
    stop_ids = list(feed.stops)
    stop_commune: dict[str, int] = {}
    stop_walk: dict[str, float] = {}
    for stop_id in stop_ids:
        lat, lon = feed.stops[stop_id]
        distances = crow_distances_km(lat, lon, latitudes, longitudes)
        nearest = int(np.argmin(distances))
        if distances[nearest] <= MAX_STOP_DISTANCE_KM:
            stop_commune[stop_id] = nearest
            stop_walk[stop_id] = distances[nearest] * WALK_DETOUR / WALK_KMH * 3600
    stops_by_commune: dict[int, list[str]] = {}
    for stop_id, commune in stop_commune.items():
        stops_by_commune.setdefault(commune, []).append(stop_id)

    departures = [c[0] for c in feed.connections]
    start = window_start.hour * 3600 + window_start.minute * 60
    end = window_end.hour * 3600 + window_end.minute * 60
    best: dict[tuple[str, str], float] = {}
    transfer = MIN_TRANSFER_MINUTES * 60
    for origin, origin_stops in stops_by_commune.items():
        for leave in range(start, end + 1, DEPARTURE_STEP_MINUTES * 60):
            # At the origin's own stops the traveller just walked in; elsewhere a change needs transfer time.
            ready_at = {stop: leave + stop_walk[stop] for stop in origin_stops}
            arrival_at = dict(ready_at)
            trips_on_board: set[str] = set()
            for i in range(bisect_left(departures, leave), len(feed.connections)):
                dep, arr, from_stop, to_stop, trip = feed.connections[i]
                if dep > leave + MAX_RIDE_SECONDS:
                    break
                if trip in trips_on_board or ready_at.get(from_stop, float("inf")) <= dep:
                    trips_on_board.add(trip)
                    if arr < arrival_at.get(to_stop, float("inf")):
                        arrival_at[to_stop] = arr
                        ready_at[to_stop] = arr + transfer
            for stop, arrived in arrival_at.items():
                destination = stop_commune.get(stop)
                if destination is None or destination == origin or stop in origin_stops:
                    continue
                minutes = (arrived + stop_walk[stop] - leave) / 60
                key = (codes[origin], codes[destination])
                if minutes < best.get(key, float("inf")):
                    best[key] = round(minutes, 1)
    return best
