"""Pure parsing helpers shared by the connectors: contract types, working time, salary, experience, dates,
HTML to text, SIRET. No database here, so connectors stay usable anywhere (benchmarks, `offers classify`)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from stdnum.fr import siret as stdnum_siret

from core.text import fold

PARIS = ZoneInfo("Europe/Paris")

# France Travail `typeContrat` codes.
_FT_CONTRACT_CODES = {
    "CDI": "CDI",
    "CDD": "CDD",
    "DDI": "CDD",  # CDD d'insertion
    "DDT": "CDD",
    "MIS": "INTERIM",  # mission intérimaire
    "TTI": "INTERIM",  # travail temporaire d'insertion
    "DIN": "INTERIM",  # CDI intérimaire
    "SAI": "SAISONNIER",
    "LIB": "LIBERAL",
    "FRA": "FRANCHISE",
    "CCE": "AUTRE",  # profession commerciale
    "REP": "AUTRE",  # reprise d'entreprise
}
# schema.org JobPosting `employmentType`: FULL_TIME/PART_TIME describe working time, not the contract, and
# TEMPORARY says fixed-term without saying which kind (CDD, intérim…): the connector reads the text for it.
_JOBPOSTING_CONTRACTS = {
    "CONTRACTOR": "LIBERAL",
    "INTERN": "STAGE",
    "INTERNSHIP": "STAGE",
    "SEASONAL": "SAISONNIER",
    "VOLUNTEER": "AUTRE",
    "PER_DIEM": "AUTRE",
    "OTHER": "AUTRE",
}
_JOBPOSTING_WORKING_TIMES = {"FULL_TIME": "FULL_TIME", "PART_TIME": "PART_TIME"}
# Folded French labels, most specific first (an "apprentissage en CDD" is an alternance).
_LABEL_PATTERNS = [
    (re.compile(r"\b(apprenti\w*|alternance|professionnalisation|contrat pro)\b"), "ALTERNANCE"),
    (re.compile(r"\b(stage|stagiaire)\b"), "STAGE"),
    (re.compile(r"\b(interim\w*|travail temporaire|mission temporaire|mis)\b"), "INTERIM"),
    (re.compile(r"\b(saisonnier|saison|sai)\b"), "SAISONNIER"),
    (re.compile(r"\b(cdi|duree indeterminee)\b"), "CDI"),
    (re.compile(r"\b(cdd|duree determinee|ddi)\b"), "CDD"),
    (re.compile(r"\b(liberal\w*|independant|freelance|lib)\b"), "LIBERAL"),
    (re.compile(r"\b(franchise\w*|fra)\b"), "FRANCHISE"),
]
# Explicit contract statements inside a description ("Type de contrat : CDD 6 mois").
_TEXT_CONTRACT = re.compile(
    r"\b(?:type de contrat|contrat(?: en| de)?|poste en|en|mission d|h f)\s+"
    r"(cdi|cdd|interim|saisonnier|alternance|apprentissage|stage)\b"
)


def employment_type(label: str) -> str:
    """A JobPosting employmentType as the schema spells it: "full-time", "Full time" -> "FULL_TIME"."""
    return "_".join(label.upper().replace("-", " ").split())


def contract_from_label(label: str | None) -> str:
    """Map a source's contract label or code (FT code, French label, JobPosting enum) to CONTRACT_TYPES or ""."""
    if not label:
        return ""
    raw = label.strip()
    if raw.upper() in _FT_CONTRACT_CODES:
        return _FT_CONTRACT_CODES[raw.upper()]
    if employment_type(raw) in _JOBPOSTING_CONTRACTS:
        return _JOBPOSTING_CONTRACTS[employment_type(raw)]
    folded = fold(raw)
    for pattern, contract in _LABEL_PATTERNS:
        if pattern.search(folded):
            return contract
    return ""


def contract_from_text(text: str) -> str:
    """A contract type stated explicitly in free text, or ""."""
    match = _TEXT_CONTRACT.search(fold(text))
    return contract_from_label(match.group(1)) if match else ""


def working_time_from_label(label: str | None) -> str | None:
    if not label:
        return None
    if employment_type(label) in _JOBPOSTING_WORKING_TIMES:
        return _JOBPOSTING_WORKING_TIMES[employment_type(label)]
    folded = fold(label)
    if "partiel" in folded or "part time" in folded:
        return "PART_TIME"
    if "plein" in folded or "complet" in folded or "full time" in folded:
        return "FULL_TIME"
    return None


_HOURS = re.compile(r"(\d{1,2}(?:[.,]\d+)?)\s*h(?:eures?)?\b", re.IGNORECASE)


def weekly_hours_from_text(text: str | None) -> float | None:
    """ "35H Travail en journée" -> 35.0; values outside 1..60 are not weekly hours."""
    if not text:
        return None
    match = _HOURS.search(text)
    if not match:
        return None
    hours = float(match.group(1).replace(",", "."))
    return hours if 1 <= hours <= 60 else None


_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mois|an|ans|semaines?|jours?)\b")


def duration_months_from_text(text: str | None) -> float | None:
    """ "CDD - 12 Mois" -> 12.0, "Intérim - 2 Semaine(s)" -> 0.5."""
    if not text:
        return None
    match = _DURATION.search(fold(text))
    if not match:
        return None
    value = float(match.group(1).replace(",", "."))
    unit = match.group(2)
    if unit == "mois":
        return value
    if unit.startswith("an"):
        return value * 12
    if unit.startswith("semaine"):
        return round(value / 4.33, 2)
    return round(value / 30.0, 2)


# Salaries: "Annuel de 40000,00 Euros à 50000,00 Euros", "Horaire de 11,65 Euros", "35k€ - 45k€ par an",
# "2 000 € brut mensuel", "12€/h".
_AMOUNT = r"(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*(k)?"
_SALARY_RANGE = re.compile(_AMOUNT + r"\s*(?:euros?|eur|€)?\s*(?:a|à|-|–|et)\s*" + _AMOUNT, re.IGNORECASE)
_SALARY_ONE = re.compile(_AMOUNT + r"\s*(?:euros?|eur|€)", re.IGNORECASE)
_PERIOD_WORDS = [
    (re.compile(r"\b(horaire|heure|/ ?h|de l h|par h)\b|€ ?/ ?h\b"), "HOUR"),
    (re.compile(r"\b(mensuel\w*|mois|/ ?mois|par mois)\b"), "MONTH"),
    (re.compile(r"\b(annuel\w*|an|ans|annee|/ ?an|par an|k)\b"), "YEAR"),
]


def _amount(number: str, kilo: str | None) -> float:
    digits = re.sub(r"[ \u00a0\u202f]", "", number)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):  # 35.000 thousands separator
        digits = digits.replace(".", "")
    value = float(digits.replace(",", "."))
    return value * 1000 if kilo else value


def parse_salary(text: str | None) -> tuple[float | None, float | None, str | None]:
    """(min, max, period) from a salary text, or Nones when the text gives no amount.

    The period comes from its word (horaire/mensuel/annuel…); without one it is inferred from the amount
    (< 100 an hour, < 15,000 a month, else a year). A "monthly" amount above 15,000 is a mislabelled yearly one.
    """
    if not text:
        return None, None, None
    cleaned = text.replace("\u00a0", " ")
    low = high = None
    match = _SALARY_RANGE.search(cleaned)
    if match:
        low, high = _amount(match.group(1), match.group(2)), _amount(match.group(3), match.group(4))
        if match.group(4) and not match.group(2):  # "35 - 45k€"
            low *= 1000 if low < 1000 else 1
    else:
        match = _SALARY_ONE.search(cleaned) or re.search(_AMOUNT, cleaned)
        if match:
            low = high = _amount(match.group(1), match.group(2))
    if low is None or low <= 0:
        return None, None, None
    if high is not None and high < low:
        low, high = high, low
    folded = fold(
        cleaned.replace("€/h", " par h ").replace("€/mois", " par mois ").replace("€/an", " par an ")
    )
    period = next((p for pattern, p in _PERIOD_WORDS if pattern.search(folded)), None)
    if period is None:
        period = "HOUR" if low < 100 else "MONTH" if low < 15000 else "YEAR"
    if period == "MONTH" and low >= 15000:
        period = "YEAR"
    return low, high, period


_EXPERIENCE = re.compile(r"(\d+)\s*(an|ans|an\(s\)|mois)")


def experience_months(text: str | None) -> int | None:
    """ "Expérience exigée de 3 An(s)" -> 36, "Débutant accepté" -> 0, "6 Mois" -> 6."""
    if not text:
        return None
    folded = fold(text)
    if "debutant" in folded:
        return 0
    match = _EXPERIENCE.search(folded)
    if not match:
        return None
    value = int(match.group(1))
    return value if match.group(2) == "mois" else value * 12


def parse_datetime(value) -> datetime | None:
    """ISO date or datetime (with or without zone, "Z" accepted), or "dd/mm/yyyy", as an aware datetime.

    A date alone means midnight in Paris. Raises ValueError on text that is not a date.
    """
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=PARIS)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=PARIS)
    text = str(value).strip()
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
        day, month, year = (int(part) for part in text.split("/"))
        return datetime(year, month, day, tzinfo=PARIS)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PARIS if len(text) <= 10 else UTC)
    return parsed


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr)\s*/?>|<\s*li[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


def looks_like_html(text: str) -> bool:
    return bool(text) and bool(
        re.search(r"<\s*(p|br|div|li|ul|strong|b|em|span|h\d)\b[^>]*>", text, re.IGNORECASE)
    )


def html_to_text(markup: str) -> str:
    """Readable plain text from HTML: block ends become line breaks, list items dashes, entities decoded."""
    if not markup:
        return ""
    text = _BLOCK.sub(lambda m: "\n- " if m.group(0).lstrip("< ").lower().startswith("li") else "\n", markup)
    text = html.unescape(_TAG.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def clean_siret(value) -> tuple[str, bool | None]:
    """(digits, valid) for a SIRET; ("", None) when absent. Invalid ones are kept and flagged, not dropped.

    python-stdnum implements the Luhn check and La Poste's exception (SIREN 356 000 000, whose establishments'
    SIRET digits sum to a multiple of 5).
    """
    if value in (None, ""):
        return "", None
    digits = re.sub(r"\D", "", str(value))
    if not digits:
        return "", None
    return digits, bool(stdnum_siret.is_valid(digits))


_NAF = re.compile(r"^(\d{2})\.?(\d{2})([A-Za-z])$")


def clean_naf(value) -> str:
    """ "8411Z" / "84.11z" -> "84.11Z"; anything else is returned stripped."""
    if not value:
        return ""
    text = str(value).strip()
    match = _NAF.match(text.replace(" ", ""))
    return f"{match.group(1)}.{match.group(2)}{match.group(3).upper()}" if match else text


def to_float(value) -> float | None:
    if value in (None, ""):
        return None
    return float(str(value).replace(",", ".").strip())


def to_text(value) -> str:
    return "" if value is None else str(value).strip()
