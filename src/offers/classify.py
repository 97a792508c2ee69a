"""`offers classify`: ROME coding of offers read as JSON Lines, without a database (offers.coding does the work;
this module streams the lines through it in batches)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

BATCH = 2000


def classify_lines(lines: Iterable[str], *, candidates: int = 10, coder=None) -> Iterator[dict]:
    """One result per non-empty input line, in order: {"id", "rome_code", "candidates": [{"rome_code",
    "score"}…]}; a line that cannot be classified gets {"id", "rome_code": None, "candidates": [], "error",
    "line"}."""
    from offers.coding import classify_records

    pending: list[tuple[int, object]] = []

    def flush():
        usable = [(number, record) for number, record in pending if not isinstance(record, Exception)]
        results = iter(
            classify_records([r for _, r in usable], top_k=candidates, coder=coder) if usable else []
        )
        for number, record in pending:
            if isinstance(record, Exception):
                yield {
                    "id": None,
                    "rome_code": None,
                    "candidates": [],
                    "error": f"invalid JSON: {record}",
                    "line": number,
                }
                continue
            result = next(results)
            if "error" in result:
                result["line"] = number
            yield result

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pending.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            pending.append((number, exc))
        if len(pending) >= BATCH:
            yield from flush()
            pending = []
    yield from flush()
