"""Precision and recall of linking offers' employers to establishments by name + commune (no SIRET), on a labelled
sample built from the real offers of DATA_DIR/offers/dedup_dev/:

- the register: one establishment per named employer of the France Travail file (name as France Travail gives
  it, commune = the offer's INSEE commune);
- the sample: every publication of the two other sources (the Région's CSV, a job board's JSON-LD) whose true
  group (truth.jsonl) holds a France Travail publication with a named employer; the right answer is that
  employer's establishment. The other sources spell employers their own way ("SAS", accents, brands…), which is
  exactly the case the matcher must handle.

Publications are placed in a commune from their INSEE code, else from their postal code (La Poste table, the
commune whose name matches, else the first). Runs the product's own `companies.services.best_establishment`.

    .venv/bin/python bench/companies_employer_matching.py
"""

import csv
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from companies.models import Establishment  # noqa: E402
from companies.services import AUTO_LINK_SCORE, REVIEW_LINK_SCORE, best_establishment, employer_key  # noqa: E402
from core.text import fold  # noqa: E402
from offers.canonical import CanonicalOffer  # noqa: E402
from offers.connectors import csv as csv_connector  # noqa: E402
from offers.connectors import francetravail, jobposting  # noqa: E402

DEV = settings.DATA_DIR / "offers" / "dedup_dev"


def postal_index() -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    with open(settings.DATA_DIR / "naf" / "laposte_hexasmal.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            values = list(row.values())
            index.setdefault(values[2], []).append((values[0], fold(values[1])))
    return index


def commune_of(offer: CanonicalOffer, postal: dict) -> str | None:
    if offer.commune_code:
        return offer.commune_code
    candidates = postal.get(offer.postal_code or "", [])
    name = fold(offer.commune_name or "")
    for code, commune_name in candidates:
        if name and (commune_name.startswith(name) or name.startswith(commune_name)):
            return code
    return candidates[0][0] if candidates else None


def main():
    truth = {}
    with open(DEV / "truth.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            truth[(row["source"], row["source_id"])] = row["cluster"]
    mapping = json.loads((DEV / "region.mapping.json").read_text())
    records = [
        *[
            r
            for r in francetravail.parse(DEV / "francetravail.json", source="francetravail")
            if isinstance(r, CanonicalOffer)
        ],
        *[
            r
            for r in jobposting.parse(DEV / "jobboard.jsonld.json", source="jobboard")
            if isinstance(r, CanonicalOffer)
        ],
        *[
            r
            for r in csv_connector.parse(DEV / "region.csv", source="region", mapping=mapping)
            if isinstance(r, CanonicalOffer)
        ],
    ]
    postal = postal_index()
    register: dict[tuple[str, str], Establishment] = {}
    employer_of_cluster: dict[str, tuple[str, str]] = {}
    for record in records:
        commune = commune_of(record, postal)
        if record.source != "francetravail" or not record.employer_name or not commune:
            continue
        key = (employer_key(record.employer_name), commune)
        register.setdefault(
            key,
            Establishment(
                siret=f"{len(register):014d}",
                name=record.employer_name,
                search_name=key[0],
                commune_id=commune,
            ),
        )
        employer_of_cluster.setdefault(truth.get((record.source, record.source_id)), key)
    by_commune: dict[str, list[Establishment]] = {}
    for establishment in register.values():
        by_commune.setdefault(establishment.commune_id, []).append(establishment)

    rows = []
    for record in records:
        expected_key = employer_of_cluster.get(truth.get((record.source, record.source_id)))
        if record.source == "francetravail" or expected_key is None or not record.employer_name:
            continue
        candidate = best_establishment(
            siret="",
            employer_name=record.employer_name,
            commune_id=commune_of(record, postal),
            candidates_by_commune=by_commune,
            by_siret={},
        )
        rows.append((candidate, register[expected_key]))

    print(
        f"register: {len(register)} establishments; labelled sample: {len(rows)} publications of other sources"
    )
    for label, threshold in (
        ("auto-linked (confirmed)", AUTO_LINK_SCORE),
        ("linked or sent to review", REVIEW_LINK_SCORE),
    ):
        predicted = [(c, e) for c, e in rows if c.establishment is not None and c.score >= threshold]
        correct = sum(1 for c, e in predicted if c.establishment is e)
        precision = correct / len(predicted) if predicted else 0.0
        recall = correct / len(rows) if rows else 0.0
        print(
            f"{label} (score ≥ {threshold:.0f}): precision {precision:.3f}, recall {recall:.3f} ({correct}/{len(predicted)} correct of {len(rows)})"
        )


if __name__ == "__main__":
    main()
