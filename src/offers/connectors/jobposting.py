"""schema.org JobPosting (JSON-LD) -> CanonicalOffer.

Accepts a JSON array or JSON Lines of postings, a JSON-LD document (`@graph` too), or an HTML page (or a folder of
pages) whose `<script type="application/ld+json">` blocks hold JobPostings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import html as lxml_html

from offers.canonical import CanonicalOffer, RejectedRecord
from offers.connectors import Input, iter_json_records, open_binary, peek
from offers.connectors.francetravail import ROME_CODE
from offers.vocab import (
    clean_naf,
    clean_siret,
    contract_from_label,
    contract_from_text,
    employment_type,
    experience_months,
    html_to_text,
    looks_like_html,
    parse_datetime,
    to_float,
    to_text,
    weekly_hours_from_text,
    working_time_from_label,
)

_UNIT_PERIODS = {"HOUR": "HOUR", "DAY": None, "WEEK": None, "MONTH": "MONTH", "YEAR": "YEAR"}
_TEMPORARY_CONTRACTS = {"CDD", "INTERIM", "SAISONNIER"}


def parse(path_or_stream: Input, *, source: str = "jobposting", mapping=None) -> Iterator:
    if isinstance(path_or_stream, str | Path) and Path(path_or_stream).is_dir():
        number = 0
        for page in sorted(Path(path_or_stream).glob("*.htm*")):
            for posting in _postings_in_html(page.read_bytes()):
                number += 1
                yield from_record(posting, source=source, line=number)
        return
    with open_binary(path_or_stream) as (stream, name):
        head, stream = peek(stream, 512)
        if head.lstrip().startswith(b"<"):
            for number, posting in enumerate(_postings_in_html(stream.read()), start=1):
                yield from_record(posting, source=source, line=number)
            return
        for line, record in iter_json_records(stream, name=name, list_keys=("@graph", "itemListElement")):
            if isinstance(record, Exception):
                yield RejectedRecord(line, f"invalid JSON: {record}", None)
                continue
            yield from_record(record, source=source, line=line)


def _postings_in_html(data: bytes) -> Iterator[dict]:
    """Every JobPosting object in the page's JSON-LD blocks (top level, in lists and in @graph)."""
    document = lxml_html.fromstring(data)
    for script in document.xpath('//script[@type="application/ld+json"]'):
        try:
            payload = json.loads(script.text_content())
        except json.JSONDecodeError:
            continue
        yield from _job_postings(payload)


def _job_postings(payload) -> Iterator[dict]:
    if isinstance(payload, list):
        for item in payload:
            yield from _job_postings(item)
    elif isinstance(payload, dict):
        kind = payload.get("@type")
        if kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind):
            yield payload
        for key in ("@graph", "itemListElement", "item"):
            if key in payload:
                yield from _job_postings(payload[key])


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def _name(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return to_text(value.get("name"))
    return to_text(value)


def _identifier(record: dict) -> str:
    identifier = _first(record.get("identifier"))
    if isinstance(identifier, dict):
        identifier = identifier.get("value") or identifier.get("@id")
    return to_text(identifier) or to_text(record.get("@id")) or to_text(record.get("url"))


def from_record(record, *, source: str = "jobposting", line: int = 0) -> CanonicalOffer | RejectedRecord:
    """The canonical offer, or the record rejected with its line and reason (never an exception)."""
    try:
        return _from_record(record, source=source, line=line)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        return RejectedRecord(
            line, f"a field has an unexpected type or value ({type(exc).__name__}: {exc})", record
        )


def _from_record(record, *, source: str, line: int) -> CanonicalOffer | RejectedRecord:
    if not isinstance(record, dict):
        return RejectedRecord(line, f"expected a JSON object, got {type(record).__name__}", record)
    kind = record.get("@type")
    if kind and kind != "JobPosting" and not (isinstance(kind, list) and "JobPosting" in kind):
        return RejectedRecord(line, f"@type: expected JobPosting, got {kind!r}", record)
    source_id = _identifier(record)
    if not source_id:
        return RejectedRecord(line, "identifier: missing (no identifier, @id or url)", record)
    title = to_text(record.get("title"))
    if not title:
        return RejectedRecord(line, "title: missing title", record)
    try:
        published_at = parse_datetime(record.get("datePosted"))
        expires_at = parse_datetime(record.get("validThrough"))
        updated_at = parse_datetime(record.get("dateModified")) or published_at
    except (TypeError, ValueError) as exc:
        return RejectedRecord(line, f"datePosted/validThrough: not a date ({exc})", record)

    location = _first(record.get("jobLocation")) or {}
    address = location.get("address") if isinstance(location, dict) else {}
    address = _first(address) if address else {}
    if isinstance(address, str):
        address = {"addressLocality": address}
    geo = (location.get("geo") if isinstance(location, dict) else None) or {}
    try:
        latitude, longitude = to_float(geo.get("latitude")), to_float(geo.get("longitude"))
    except ValueError:
        return RejectedRecord(line, "jobLocation.geo: latitude/longitude are not numbers", record)
    if latitude is not None and (
        longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        return RejectedRecord(
            line, f"jobLocation.geo: coordinates out of range ({latitude}, {longitude})", record
        )

    description = to_text(record.get("description"))
    description_html = ""
    if looks_like_html(description) or "&#" in description or "&amp;" in description:
        description_html, description = description, html_to_text(description)

    types = record.get("employmentType") or []
    types = [to_text(t) for t in (types if isinstance(types, list) else re.split(r"[,;]\s*", to_text(types)))]
    types = [employment_type(t) for t in types if t]
    working_time = next((w for w in map(working_time_from_label, types) if w), None)
    contract = next((c for c in map(contract_from_label, types) if c), "")
    if not contract:
        # FULL_TIME/PART_TIME/TEMPORARY say nothing of the contract: read it where the text states it.
        stated = contract_from_text(description) or contract_from_label(title)
        if stated and ("TEMPORARY" not in types or stated in _TEMPORARY_CONTRACTS):
            contract = stated

    organisation = _first(record.get("hiringOrganization")) or {}
    if not isinstance(organisation, dict):
        organisation = {"name": to_text(organisation)}
    siret_value = organisation.get("taxID") or organisation.get("siret")
    org_identifier = _first(organisation.get("identifier"))
    if not siret_value and org_identifier:
        candidate = org_identifier.get("value") if isinstance(org_identifier, dict) else org_identifier
        if re.fullmatch(r"[\d ]{14,17}", to_text(candidate)):
            siret_value = candidate
    siret, siret_valid = clean_siret(siret_value)

    salary_min, salary_max, salary_period, salary_text = _salary(record.get("baseSalary"))
    experience, months = _experience(record.get("experienceRequirements"))
    occupation = to_text(_first(record.get("occupationalCategory")))
    rome_match = re.search(r"\b([A-N]\d{4})\b", occupation)
    try:
        positions = int(record.get("totalJobOpenings") or 1)
    except (TypeError, ValueError):
        positions = 1
    skills = record.get("skills") or []
    return CanonicalOffer(
        source=source,
        source_id=source_id,
        title=title,
        description=description,
        description_html=description_html,
        employer_name=to_text(organisation.get("name")),
        siret=siret,
        siret_valid=siret_valid,
        naf=clean_naf(organisation.get("naf")),  # a French extension some boards add; schema.org has none
        commune_code="",
        postal_code=to_text(address.get("postalCode")),
        commune_name=to_text(address.get("addressLocality")),
        latitude=latitude,
        longitude=longitude,
        contract_type=contract,
        contract_label=", ".join(types),
        working_time=working_time,
        weekly_hours=weekly_hours_from_text(to_text(record.get("workHours"))),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_period=salary_period,
        salary_text=salary_text,
        experience=experience,
        experience_months_min=months,
        qualification=_name(record.get("qualifications")) or _name(record.get("educationRequirements")),
        published_at=published_at,
        updated_at=updated_at,
        expires_at=expires_at,
        url=to_text(record.get("url")),
        rome_code=rome_match.group(1) if rome_match and ROME_CODE.match(rome_match.group(1)) else "",
        appellation_label="" if rome_match else occupation,
        positions=max(positions, 1),
        skills=[_name(skill) for skill in (skills if isinstance(skills, list) else [skills]) if _name(skill)],
        raw=record,
        line=line,
    )


def _salary(base) -> tuple[float | None, float | None, str | None, str]:
    base = _first(base)
    if not isinstance(base, dict):
        return None, None, None, to_text(base)
    value = base.get("value")
    currency = to_text(base.get("currency")) or "EUR"
    if not isinstance(value, dict):
        amount = to_float(value) if value not in (None, "") else None
        return amount, amount, None, f"{value} {currency}" if amount else ""
    try:
        low = to_float(value.get("minValue") if value.get("minValue") is not None else value.get("value"))
        high = to_float(value.get("maxValue") if value.get("maxValue") is not None else value.get("value"))
    except ValueError:
        return None, None, None, ""
    unit = to_text(value.get("unitText")).upper()
    period = _UNIT_PERIODS.get(unit)
    if low is None and high is None:
        return None, None, None, ""
    span = (
        f"{low:g} à {high:g}" if low != high and high is not None else f"{low if low is not None else high:g}"
    )
    return low, high if high is not None else low, period, f"{span} {currency} {unit.lower()}".strip()


def _experience(requirement) -> tuple[str, int | None]:
    requirement = _first(requirement)
    if isinstance(requirement, dict):
        months = requirement.get("monthsOfExperience")
        try:
            months = int(float(months)) if months is not None else None
        except (TypeError, ValueError):
            months = None
        text = to_text(requirement.get("description")) or (f"{months} mois d'expérience" if months else "")
        return text, months if months is not None else experience_months(text)
    text = to_text(requirement)
    return text, experience_months(text)
