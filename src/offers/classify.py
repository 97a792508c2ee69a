"""`offers classify`: ROME coding of offers read as JSON Lines, without a database."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from offers import rome_coding
from offers.canonical import CanonicalOffer, RejectedRecord
from offers.connectors.francetravail import from_record
from offers.vocab import html_to_text, looks_like_html, to_text

BATCH = 1000


def to_offer(record, *, line: int) -> CanonicalOffer | RejectedRecord:
    """A France Travail API offer, or {"id", "title", "description"} (JobPosting's `title` works too)."""
    if not isinstance(record, dict):
        return RejectedRecord(line, "expected a JSON object", record)
    if "intitule" in record:
        return from_record(record, source="classify", line=line)
    identifier = to_text(record.get("id"))
    title = to_text(record.get("title"))
    if not identifier:
        return RejectedRecord(line, "id: missing", record)
    if not title and not record.get("description"):
        return RejectedRecord(line, "title/description: both missing", record)
    description = to_text(record.get("description"))
    if looks_like_html(description):
        description = html_to_text(description)
    return CanonicalOffer(
        source="classify", source_id=identifier, title=title, description=description, line=line
    )


def classify_lines(lines: Iterable[str], *, candidates: int = 10) -> Iterator[dict]:
    """One result per non-empty input line, in order: {"id", "rome_code", "candidates": [{"rome_code",
    "score"}…]} or {"line", "error"} for a line that cannot be read."""
    pending: list[CanonicalOffer | RejectedRecord] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pending.append(to_offer(json.loads(line), line=number))
        except json.JSONDecodeError as exc:
            pending.append(RejectedRecord(number, f"invalid JSON: {exc}"))
        if len(pending) >= BATCH:
            yield from _flush(pending, candidates)
            pending = []
    yield from _flush(pending, candidates)


def _flush(items: list, candidates: int) -> Iterator[dict]:
    offers = [item for item in items if isinstance(item, CanonicalOffer)]
    predictions = iter(rome_coding.predict(offers, top=candidates) if offers else [])
    for item in items:
        if isinstance(item, RejectedRecord):
            yield {"line": item.line, "error": item.reason}
            continue
        prediction = next(predictions)
        if prediction is None:
            yield {"line": item.line, "error": "no ROME model available"}
            continue
        yield {
            "id": item.source_id,
            "rome_code": prediction.rome_code,
            "candidates": prediction.candidates[:candidates],
        }
