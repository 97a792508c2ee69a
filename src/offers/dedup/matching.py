"""Are two publications the same job? Rules, in the order they are checked (docs/offers-dedup.md):

1. Same place: same INSEE commune when both are known, else same commune name in the same département
   (arrondissements of Paris, Lyon, Marseille are places of their own), else within PLACE_KM by coordinates.
2. No contradiction: contract types differ (both known), SIRETs differ (both valid), employer names differ
   (both given), or publication dates more than MAX_DAYS apart (another recruitment).
3. Same job title: the titles, folded, without gender marks, appended commune or plural endings, are similar.
4. Positive evidence of one employer: same SIRET, same employer name, or the same description text. Without an
   employer on one side, the description must match: two "Agent d'entretien" offers in one town on the same
   day are different jobs unless something says they are one.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from .keys import Fingerprint, contracts_compatible, description_similarity, distance_km

PLACE_KM = 3.0
MAX_DAYS = 30  # a month: an offer later than that is another recruitment
TEXT_ONLY_DAYS = 2  # without an employer to compare, the same text must also be published at the same time
TITLE_MIN = 90  # token set ratio of the title keys
TITLE_ORDER_MIN = (
    80  # token sort ratio: the same words, give or take one (not "Ingénieur" vs "Ingénieur réseaux")
)
EMPLOYER_MIN = 85
DESCRIPTION_SAME = 0.5  # containment of word pairs that shows the same text
DESCRIPTION_OTHER = 0.15  # below it, two texts are different announcements


_MATRIX_FROM = 64  # block size from which one matrix call beats rapidfuzz's per-match list


def close_titles(sorted_title: str, sorted_titles: list[str]) -> list[int]:
    """Positions in `sorted_titles` (titles with their words sorted) of those passing the word-order test of
    `compare` — a superset (half a point under the threshold, whatever the rounding), in one C call: the cheap
    first cut through a big block before any full comparison."""
    cutoff = TITLE_ORDER_MIN - 0.5
    if len(sorted_titles) < _MATRIX_FROM:
        return [
            position
            for _, _, position in process.extract(
                sorted_title, sorted_titles, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            )
        ]
    scores = process.cdist(
        [sorted_title], sorted_titles, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8
    )
    return np.flatnonzero(scores[0]).tolist()


def employers_compatible(employer_a: str, siret_a: str, employer_b: str, siret_b: str) -> bool:
    """False only when `compare` would refuse the pair on its employers alone (two valid SIRETs that differ, or
    two employer names below EMPLOYER_MIN — half a point of margin — without the same SIRET): the second cheap cut,
    from the employer keys and valid SIRETs the pool index keeps for each block member."""
    if siret_a and siret_b:
        return siret_a == siret_b
    if not employer_a or not employer_b:
        return True
    return fuzz.token_set_ratio(employer_a, employer_b, score_cutoff=EMPLOYER_MIN - 0.5) > 0


def same_place(a: Fingerprint, b: Fingerprint) -> str | None:
    if a.commune_code and b.commune_code:
        return "commune" if a.commune_code == b.commune_code else None
    if a.city and a.city == b.city:
        return "city"
    distance = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
    if distance is not None and distance <= PLACE_KM:
        return "distance"
    return None


def employer_similarity(a: Fingerprint, b: Fingerprint) -> float | None:
    if not a.employer or not b.employer:
        return None
    return float(fuzz.token_set_ratio(a.employer, b.employer))


def compare(a: Fingerprint, b: Fingerprint) -> dict | None:
    """The signals that matched when `a` and `b` are the same job, else None."""
    place = same_place(a, b)
    if place is None:
        return None
    if not contracts_compatible(a.contracts, b.contracts):
        return None
    days = None
    if a.published and b.published:
        days = abs((a.published - b.published).total_seconds()) / 86400
        if days > MAX_DAYS:
            return None
    siret = None
    if a.siret and b.siret:
        if a.siret != b.siret:
            return None
        siret = "same"
    employer = employer_similarity(a, b)
    if employer is not None and employer < EMPLOYER_MIN and siret is None:
        return None
    title = fuzz.token_set_ratio(a.title, b.title)
    if title < TITLE_MIN or fuzz.token_sort_ratio(a.title, b.title) < TITLE_ORDER_MIN:
        return None
    description = description_similarity(a.sketch, b.sketch)
    same_employer = siret == "same" or (employer is not None and employer >= EMPLOYER_MIN)
    if not same_employer and (
        description is None or description < DESCRIPTION_SAME or days is None or days > TEXT_ONLY_DAYS
    ):
        return None
    if description is not None and description < DESCRIPTION_OTHER and siret is None:
        return None
    distance = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
    return {
        "place": place,
        "distance_km": None if distance is None else round(distance, 1),
        "siret": siret,
        "employer": None if employer is None else round(employer),
        "title": round(title),
        "contract": next(iter(a.contracts)) if len(a.contracts) == 1 and a.contracts == b.contracts else None,
        "description": None if description is None else round(description, 2),
        "days": None if days is None else round(days),
    }


def strength(signals: dict) -> float:
    """Order of preference between several matches: the one with most evidence explains the grouping."""
    return (
        (2 if signals["siret"] else 0)
        + (signals["employer"] or 0) / 100
        + (signals["description"] or 0)
        + signals["title"] / 100
        + (0.5 if signals["contract"] else 0)
    )
