"""Labelled examples for the ROME coder: real coded offers and advisors' choices, in one shape.

An example is a dict `{"title", "description", "rome_code"}` (optional `"group"`: the title + employer key the
cross-validation keeps on one side). France Travail API offers carry `intitule`, `description`, `romeCode`;
offers created before 2024 carry ROME v3 codes, which still exist in ROME 4.0 as the family's parent fiche: when
the offer's appellation label names a ROME 4.0 appellation of that family, its precise ROME 4.0 code is used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from core.text import fold

from .referential import RomeReferential

OFFERS_FILE = Path("offers") / "francetravail_offers_dev.jsonl"


def offer_text(record: dict) -> tuple[str, str]:
    """(title, description) of a France Travail API offer or of a `{"title", "description"}` record."""
    title = record.get("title")
    if title is None:
        title = record.get("intitule")
    description = record.get("description")
    return str(title or ""), str(description or "")


def example_from_francetravail(
    record: dict, referential: RomeReferential, appellation_codes: dict
) -> dict | None:
    code = (record.get("romeCode") or "").strip().upper()
    if code not in referential.labels:
        return None
    if referential.parent(code) == code:
        # A family's parent fiche: a ROME v3 code or a ROME 4.0 parent; the appellation may say which child.
        refined = appellation_codes.get(fold(record.get("appellationlibelle")))
        if refined and referential.parent(refined) == code:
            code = refined
    title, description = offer_text(record)
    employer = (record.get("entreprise") or {}).get("nom") or ""
    return {
        "title": title,
        "description": description,
        "rome_code": code,
        "group": f"{fold(title)}|{fold(employer)}",
    }


def appellation_index(referential: RomeReferential) -> dict[str, str]:
    index: dict[str, str] = {}
    for label, code, _rare in referential.appellations:
        index.setdefault(fold(label), code)
    return index


def read_francetravail_examples(path: Path | str, referential: RomeReferential) -> list[dict]:
    """Coded offers of a France Travail API JSON Lines file (one offer per line), as training examples."""
    index = appellation_index(referential)
    examples = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                example = example_from_francetravail(json.loads(line), referential, index)
                if example:
                    examples.append(example)
    return examples


def clean_examples(examples: Iterable[dict], referential: RomeReferential) -> Iterator[dict]:
    """Keep the examples with a known ROME 4.0 code and some text (advisors' choices may be partial)."""
    for example in examples:
        code = (example.get("rome_code") or "").strip().upper()
        title, description = offer_text(example)
        if code in referential.labels and (title.strip() or description.strip()):
            yield {
                "title": title,
                "description": description,
                "rome_code": code,
                "group": example.get("group") or fold(title),
            }
