"""`reseau-emploi offers classify`: input records (France Travail API offers or {"id", "title", "description"})
to output lines {"id", "rome_code", "candidates": [{"rome_code", "score"}, ...]}."""

from __future__ import annotations

from collections.abc import Iterable

from .examples import offer_text

MIN_CANDIDATES = 5


def record_item(record: dict) -> dict:
    """The classifier input of a record: title, description, and the skills / appellation it may carry."""
    title, description = offer_text(record)
    skills = record.get("skills") or [
        skill.get("libelle") for skill in record.get("competences") or () if isinstance(skill, dict)
    ]
    return {
        "title": title,
        "description": description,
        "skills": [skill for skill in skills if skill],
        "appellation": record.get("appellation") or "",
    }


def classify_records(
    records: Iterable[dict], top_k: int = MIN_CANDIDATES, coder=None, workers: int | None = None
) -> list[dict]:
    """Big batches are coded on every usable CPU (`classify_parallel`; `workers=1` keeps one process)."""
    from . import get_coder
    from .parallel import classify_parallel

    coder = coder or get_coder()
    records = list(records)
    items = [record_item(record) if isinstance(record, dict) else None for record in records]
    usable = [
        i for i, item in enumerate(items) if item and (item["title"].strip() or item["description"].strip())
    ]
    candidates = classify_parallel(
        coder, [items[i] for i in usable], top_k=max(top_k, MIN_CANDIDATES), workers=workers
    )
    by_index = dict(zip(usable, candidates, strict=True))
    results = []
    for i, record in enumerate(records):
        record_id = record.get("id") if isinstance(record, dict) else None
        if i not in by_index:
            reason = "not a JSON object" if not isinstance(record, dict) else "no title or description"
            results.append({"id": record_id, "rome_code": None, "candidates": [], "error": reason})
            continue
        ranked = by_index[i]
        results.append(
            {
                "id": record_id,
                "rome_code": ranked[0][0],
                "candidates": [{"rome_code": code, "score": score} for code, score in ranked],
            }
        )
    return results
