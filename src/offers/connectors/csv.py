"""CSV exports -> CanonicalOffer, with a column mapping (canonical name -> column name).

The delimiter (`;` or `,`) and the encoding (UTF-8, else Windows-1252/Latin-1) are detected. Without a mapping,
columns are expected under their canonical names. Read line by line, each line at most CSV_MAX_LINE_BYTES
(core.csvfiles): a million-row export is never held in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from core.csvfiles import LimitedLines, apply_field_size_limit
from core.sync import SourceError
from offers.canonical import CanonicalOffer, RejectedRecord
from offers.connectors import Input, open_binary
from offers.connectors.francetravail import ROME_CODE
from offers.vocab import (
    clean_naf,
    clean_siret,
    contract_from_label,
    duration_months_from_text,
    experience_months,
    html_to_text,
    looks_like_html,
    parse_datetime,
    parse_salary,
    to_float,
    weekly_hours_from_text,
    working_time_from_label,
)

CANONICAL_COLUMNS = (
    "source_id",
    "title",
    "description",
    "employer_name",
    "siret",
    "naf",
    "postal_code",
    "commune_name",
    "commune_code",
    "latitude",
    "longitude",
    "contract_type",
    "working_time",
    "salary_text",
    "experience",
    "qualification",
    "published_at",
    "updated_at",
    "expires_at",
    "url",
    "rome_code",
    "appellation_code",
    "positions",
)
REQUIRED = ("source_id", "title")


def load_mapping(mapping) -> dict[str, str]:
    """A mapping given as a dict, a JSON file path, or None (identity); unknown canonical names are an error."""
    if mapping is None:
        return {}
    if isinstance(mapping, str | Path):
        path = Path(mapping)
        try:
            mapping = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SourceError("mapping file not found", path=path) from exc
        except json.JSONDecodeError as exc:
            raise SourceError(f"mapping is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from exc
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise SourceError('mapping must be a JSON object {"canonical name": "column name"}', path="mapping")
    unknown = sorted(set(mapping) - set(CANONICAL_COLUMNS))
    if unknown:
        raise SourceError(
            f"unknown canonical name(s) {', '.join(unknown)}; expected among {', '.join(CANONICAL_COLUMNS)}",
            path="mapping",
        )
    return mapping


ENCODINGS = ("utf-8", "cp1252", "latin-1")  # latin-1 decodes any byte: the last resort


def parse(path_or_stream: Input, *, source: str = "csv", mapping=None) -> Iterator:
    """The file's rows, read line by line: an over-long line (CSV_MAX_LINE_BYTES) is rejected with its number
    and the next lines are read; UTF-8 until a line is not, then Windows-1252 (else Latin-1) for the rest."""
    columns = load_mapping(mapping)
    apply_field_size_limit()
    with open_binary(path_or_stream) as (stream, name):
        lines = LimitedLines(stream, path=name, encodings=ENCODINGS)
        header_line = next(lines, "")
        if lines.take_too_long():
            raise SourceError(f"the header line is longer than {lines.limit} bytes", path=name, line=1)
        if not header_line.strip("\r\n"):
            return
        delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
        reader = csv.reader(chain([header_line], lines), delimiter=delimiter)
        header = [cell.strip() for cell in next(reader)]
        yield from _rows(reader, lines, header, columns, source=source, name=name)


def _rows(
    reader, lines: LimitedLines, header: list[str], columns: dict, *, source: str, name: str
) -> Iterator:
    column_of = {canonical: columns.get(canonical, canonical) for canonical in CANONICAL_COLUMNS}
    index = {canonical: header.index(col) for canonical, col in column_of.items() if col in header}
    missing = [
        f"{canonical} (column {column_of[canonical]!r})" for canonical in REQUIRED if canonical not in index
    ]
    missing += [
        f"{c} (column {col!r})" for c, col in columns.items() if col not in header and c not in REQUIRED
    ]
    if missing:
        raise SourceError(f"missing column(s) {', '.join(missing)}; header is {header}", path=name, line=1)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            row = None
        except csv.Error as exc:
            yield RejectedRecord(start, f"malformed CSV: {exc}", None)
            row = None
        for line in lines.take_too_long():
            yield RejectedRecord(
                line, f"line longer than {lines.limit} bytes (CSV_MAX_LINE_BYTES): skipped", None
            )
        if row is None:
            return
        line = start
        if not any(cell.strip() for cell in row):
            continue
        raw = dict(zip(header, row, strict=False))
        if len(row) != len(header):
            yield RejectedRecord(line, f"{len(row)} values for {len(header)} columns", raw)
            continue
        values = {canonical: row[i].strip() for canonical, i in index.items()}
        yield from_row(values, raw=raw, source=source, line=line)


def from_row(values: dict[str, str], *, raw: dict, source: str, line: int) -> CanonicalOffer | RejectedRecord:
    get = values.get
    if not get("source_id"):
        return RejectedRecord(line, "source_id: empty identifier", raw)
    if not get("title"):
        return RejectedRecord(line, "title: empty title", raw)
    dates = {}
    for field_name in ("published_at", "updated_at", "expires_at"):
        try:
            dates[field_name] = parse_datetime(get(field_name))
        except ValueError:
            return RejectedRecord(
                line, f"{field_name}: {get(field_name)!r} is not a date (expected YYYY-MM-DD)", raw
            )
    try:
        latitude, longitude = to_float(get("latitude")), to_float(get("longitude"))
    except ValueError:
        return RejectedRecord(
            line, f"latitude/longitude: {get('latitude')!r}, {get('longitude')!r} are not numbers", raw
        )
    if latitude is not None and (
        longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        return RejectedRecord(line, f"latitude/longitude: out of range ({latitude}, {longitude})", raw)
    try:
        positions = int(get("positions") or 1)
    except ValueError:
        return RejectedRecord(line, f"positions: {get('positions')!r} is not a whole number", raw)
    description = get("description") or ""
    description_html = ""
    if looks_like_html(description):
        description_html, description = description, html_to_text(description)
    salary_text = get("salary_text") or ""
    salary_min, salary_max, salary_period = parse_salary(salary_text)
    siret, siret_valid = clean_siret(get("siret"))
    rome_code = (get("rome_code") or "").upper()
    contract_label = get("contract_type") or ""
    commune_code = get("commune_code") or ""
    return CanonicalOffer(
        source=source,
        source_id=get("source_id"),
        title=get("title"),
        description=description,
        description_html=description_html,
        employer_name=get("employer_name") or "",
        siret=siret,
        siret_valid=siret_valid,
        naf=clean_naf(get("naf")),
        commune_code=commune_code.zfill(5) if commune_code.isdigit() else commune_code,
        postal_code=(get("postal_code") or "").zfill(5) if (get("postal_code") or "").isdigit() else "",
        commune_name=get("commune_name") or "",
        latitude=latitude,
        longitude=longitude,
        contract_type=contract_from_label(contract_label),
        contract_label=contract_label,
        contract_duration_months=duration_months_from_text(contract_label),
        working_time=working_time_from_label(get("working_time")),
        weekly_hours=weekly_hours_from_text(get("working_time")),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_period=salary_period,
        salary_text=salary_text,
        experience=get("experience") or "",
        experience_months_min=experience_months(get("experience")),
        qualification=get("qualification") or "",
        published_at=dates["published_at"],
        updated_at=dates["updated_at"] or dates["published_at"],
        expires_at=dates["expires_at"],
        url=get("url") or "",
        rome_code=rome_code if ROME_CODE.match(rome_code) else "",
        appellation_code=get("appellation_code") or "",
        positions=max(positions, 1),
        raw=raw,
        line=line,
    )
