"""The canonical offer of a cluster: for each field, the best-filled value among its publications."""

from __future__ import annotations

from collections import Counter

# Text fields: the most frequent non-empty value, ties broken by the longest (the most complete).
_TEXT_FIELDS = (
    "title",
    "employer_name",
    "naf",
    "commune_code",
    "postal_code",
    "commune_name",
    "contract_type",
    "working_time",
    "experience",
    "qualification",
    "rome_code",
    "appellation_code",
)
# Fields where the longest value carries the most (full description, precise salary text).
_LONGEST_FIELDS = ("description", "description_html", "salary_text")
_NUMBER_FIELDS = (
    "contract_duration_months",
    "weekly_hours",
    "salary_min",
    "salary_max",
    "experience_months_min",
)


def _present(value) -> bool:
    return value is not None and value != "" and value != []


def canonical_values(records: list) -> dict:
    """Best-filled values of a cluster's publications (CanonicalOffer-like objects or dicts).

    - SIRET: a valid one first, the most frequent among them;
    - coordinates: taken together from the publication that has both;
    - salary: min/max/period from the publication that gives the most of them;
    - published_at: the earliest publication (when the job was first offered), updated_at/expires_at: the
      latest; url: the first publication's that has one.
    """

    def get(record, name):
        return record.get(name) if isinstance(record, dict) else getattr(record, name, None)

    values: dict = {}
    for name in _TEXT_FIELDS:
        found = [get(r, name) for r in records if _present(get(r, name))]
        if found:
            counts = Counter(found)
            values[name] = max(counts, key=lambda v: (counts[v], len(str(v)), str(v)))
    for name in _LONGEST_FIELDS:
        found = [get(r, name) for r in records if _present(get(r, name))]
        if found:
            values[name] = max(found, key=lambda v: (len(v), v))
    valid = [get(r, "siret") for r in records if get(r, "siret") and get(r, "siret_valid")]
    any_siret = [get(r, "siret") for r in records if get(r, "siret")]
    if valid or any_siret:
        counts = Counter(valid or any_siret)
        values["siret"] = max(counts, key=lambda v: (counts[v], v))
        values["siret_valid"] = bool(valid)
    located = [r for r in records if get(r, "latitude") is not None and get(r, "longitude") is not None]
    if located:
        values["latitude"], values["longitude"] = get(located[0], "latitude"), get(located[0], "longitude")
    salaried = [r for r in records if _present(get(r, "salary_min")) or _present(get(r, "salary_max"))]
    if salaried:
        best = max(
            salaried,
            key=lambda r: sum(_present(get(r, n)) for n in ("salary_min", "salary_max", "salary_period")),
        )
        for name in ("salary_min", "salary_max", "salary_period"):
            values[name] = get(best, name)
    for name in _NUMBER_FIELDS:
        if name not in values:
            found = [get(r, name) for r in records if _present(get(r, name))]
            if found:
                counts = Counter(found)
                values[name] = max(counts, key=lambda v: (counts[v], v))
    published = [get(r, "published_at") for r in records if get(r, "published_at")]
    if published:
        values["published_at"] = min(published)
    for name in ("updated_at", "expires_at"):
        found = [get(r, name) for r in records if get(r, name)]
        if found:
            values[name] = max(found)
    urls = [get(r, "url") for r in records if get(r, "url")]
    if urls:
        values["url"] = urls[0]
    skills = sorted({skill for r in records for skill in (get(r, "skills") or ())})
    if skills:
        values["skills"] = skills
    return values
