"""The canonical offer: the one shape every connector produces and every later step (normalisation, ROME coding,
deduplication, storage) consumes.

Connectors fill what their source carries, already mapped to this vocabulary where the mapping needs no database
(contract type, working time, dates, salary fields the source gives explicitly). Normalisation
(`offers.normalise`) then completes what needs reference data or parsing: commune INSEE code, coordinates,
SIRET validation, salary parsed from text, plain-text description from HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CONTRACT_TYPES = (
    "CDI",
    "CDD",
    "INTERIM",
    "SAISONNIER",
    "ALTERNANCE",
    "LIBERAL",
    "FRANCHISE",
    "STAGE",
    "AUTRE",
)
CONTRACT_LABELS = {
    "CDI": "CDI",
    "CDD": "CDD",
    "INTERIM": "Intérim",
    "SAISONNIER": "Saisonnier",
    "ALTERNANCE": "Alternance",
    "LIBERAL": "Profession libérale",
    "FRANCHISE": "Franchise",
    "STAGE": "Stage",
    "AUTRE": "Autre",
}
WORKING_TIMES = ("FULL_TIME", "PART_TIME")
WORKING_TIME_LABELS = {"FULL_TIME": "Temps plein", "PART_TIME": "Temps partiel"}
SALARY_PERIODS = ("HOUR", "MONTH", "YEAR")
SALARY_PERIOD_LABELS = {"HOUR": "de l'heure", "MONTH": "par mois", "YEAR": "par an"}


@dataclass(slots=True)
class CanonicalOffer:
    source: str
    source_id: str
    title: str = ""
    description: str = ""  # plain text
    description_html: str = ""  # the original markup when the source sends HTML, else ""
    employer_name: str = ""
    siret: str = ""  # digits only, or ""
    siret_valid: bool | None = None  # None: no SIRET given
    naf: str = ""  # "84.11Z" style
    commune_code: str = ""  # INSEE, 5 characters
    postal_code: str = ""
    commune_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    contract_type: str = ""  # one of CONTRACT_TYPES, or "" when unknown
    contract_label: str = (
        ""  # the source's own label/code ("CDD - 12 Mois", "MIS", "TEMPORARY"), for display and dedup
    )
    contract_duration_months: float | None = None
    working_time: str | None = None  # FULL_TIME / PART_TIME / None
    weekly_hours: float | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_period: str | None = None  # HOUR / MONTH / YEAR
    salary_text: str = ""
    experience: str = ""
    experience_months_min: int | None = None
    qualification: str = ""
    published_at: datetime | None = None  # aware
    updated_at: datetime | None = None  # aware
    expires_at: datetime | None = None  # aware
    url: str = ""
    rome_code: str = ""  # the source's own ROME code, if any
    appellation_code: str = ""
    appellation_label: str = ""  # the source's appellation label when it gives no code
    positions: int = 1
    skills: list[str] = field(default_factory=list)  # skill labels the source lists (help ROME coding)
    lacks_candidates: bool | None = None  # the operator says it lacks candidates for it; None: not said
    raw: dict[str, Any] = field(default_factory=dict)  # the record as received
    line: int = 0  # 1-based line (CSV, JSON Lines) or index + 1 (JSON array) in the file, for reports


@dataclass(slots=True)
class RejectedRecord:
    line: int
    reason: str
    raw: Any = None
