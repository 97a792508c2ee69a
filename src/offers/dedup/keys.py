"""What deduplication compares, computed once per publication: folded title, employer, place, contract, date and
a sketch of the description."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter

import numpy as np
from numba import njit

from core.text import fast_fold, fold

SKETCH_SIZE = 64  # bottom-k sketch of the description's word pairs
DESCRIPTION_CHARS = 4000

_GENDER_MARKS = re.compile(r"\b(?:h f|f h|h x f|f x h|h f x|f m|m f|h|f)\b")
_ARRONDISSEMENT = re.compile(r"\b(\d{1,2})\s*(?:e|er|eme|ere)?\b")
_LEADING_DEPARTMENT = re.compile(r"^\d[\dab]{1,2}\s+")
_CITY_NOISE = re.compile(r"\b(?:arrondissement|arr|cedex\s*\d*)\b")
_SAINTS = {"st": "saint", "ste": "sainte"}
_ARTICLES = ("le", "la", "les", "l")
# Paris, Lyon, Marseille: the postal code tells the arrondissement, which is a place of its own.
_PLM = {"75": "paris", "69": "lyon", "13": "marseille"}
_LEGAL_FORMS = frozenset(
    [
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "sci",
        "scop",
        "snc",
        "ets",
        "etablissements",
        "groupe",
        "group",
        "societe",
        "ste",
        "cie",
        "et",
        "compagnie",
    ]
)
_TITLE_STOP = frozenset(
    [
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
        "et",
        "en",
        "a",
        "au",
        "aux",
        "pour",
        "sur",
        "un",
        "une",
        "ou",
    ]
)


def city_key(postal_code: str, commune_name: str) -> str:
    """ "Lyon 2e Arrondissement" and "LYON 02" -> "69 lyon 2"; "ST MALO" and "Saint-Malo" -> "35 saint malo"."""
    postal_code = (postal_code or "").strip()
    department = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
    # France Travail writes "973 - CAYENNE", "59 - Lille": the leading département number is not the name.
    name = _CITY_NOISE.sub(" ", _LEADING_DEPARTMENT.sub("", fold(commune_name)))
    words = [_SAINTS.get(word, word) for word in name.split()]
    if words and words[0] in _ARTICLES and len(words) > 1:
        words = words[1:]
    name = " ".join(words)
    arrondissement = None
    match = _ARRONDISSEMENT.search(name)
    if match:
        arrondissement = int(match.group(1))
        name = " ".join(_ARRONDISSEMENT.sub(" ", name).split())
    if _PLM.get(department) == name:
        if arrondissement is None and len(postal_code or "") == 5 and postal_code[2] in "01":
            number = int(postal_code[3:])
            arrondissement = number if 0 < number <= 20 else None
        if arrondissement:
            name = f"{name} {arrondissement}"
    return f"{department} {name}".strip() if name else ""


def employer_key(name: str) -> str:
    words = [word for word in fold(name).split() if word not in _LEGAL_FORMS]
    return " ".join(words)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def title_key(title: str, commune_name: str = "") -> str:
    """Folded title without gender marks, numbers, plural endings, nor the commune job boards append."""
    text = _GENDER_MARKS.sub(" ", fold(title))
    words = [_singular(word) for word in text.split() if not word.isdigit()]
    city = [
        _singular(word)
        for word in _LEADING_DEPARTMENT.sub("", fold(commune_name)).split()
        if not word.isdigit()
    ]
    # "Serveur - Crèvecœur-en-Brie", "Ingénieur système - Paris 7": the commune, whole or its first word, at the end.
    for suffix in (city, city[:1]):
        if suffix and len(words) > len(suffix) and words[-len(suffix) :] == suffix:
            words = words[: -len(suffix)]
            break
    return " ".join(words)


def title_tokens(key: str) -> list[str]:
    """The two longest meaningful words of a title key: two publications of one job share at least one."""
    words = sorted(
        {word for word in key.split() if word not in _TITLE_STOP and len(word) > 1},
        key=lambda w: (-len(w), w),
    )
    return words[:2]


def description_sketch(description: str) -> tuple[np.ndarray, int]:
    """Bottom-k sketch of the set of word pairs (smallest hashes) and the set's size."""
    text = fast_fold((description or "")[:DESCRIPTION_CHARS])
    return _pair_sketch(np.frombuffer(text.encode("ascii"), dtype=np.uint8), SKETCH_SIZE)


@njit(cache=True, nogil=True)
def _pair_sketch(text, size):  # pragma: no cover - compiled
    """`text`: folded bytes (letters and digits, anything else a space). Each word is hashed (FNV-1a), each pair
    of consecutive words is the mix of their two hashes (MurmurHash3's 64-bit finaliser, so that the smallest
    values are a uniform sample); returns the `size` smallest distinct pair hashes (their high 32 bits) and the
    number of distinct ones. One compiled pass: the same with numpy took a dozen calls per description."""
    hashes = np.empty(len(text) // 2 + 1, dtype=np.uint32)
    count = 0
    previous = _FNV_OFFSET
    words = 0
    position = 0
    while position < len(text):
        if text[position] == _SPACE:
            position += 1
            continue
        value = _FNV_OFFSET
        while position < len(text) and text[position] != _SPACE:
            value = (value ^ np.uint64(text[position])) * _FNV_PRIME
            position += 1
        if words:
            pair = previous * _FNV_PRIME + value
            pair ^= pair >> _SHIFT_33
            pair *= _MIX_1
            pair ^= pair >> _SHIFT_33
            pair *= _MIX_2
            pair ^= pair >> _SHIFT_33
            hashes[count] = np.uint32(pair >> _SHIFT_32)
            count += 1
        previous = value
        words += 1
    ordered = np.sort(hashes[:count])
    sketch = np.empty(min(size, count), dtype=np.uint32)
    distinct = 0
    for index in range(count):
        if index == 0 or ordered[index] != ordered[index - 1]:
            if distinct < size:
                sketch[distinct] = ordered[index]
            distinct += 1
    return sketch[: min(size, distinct)], distinct


_SPACE = 32
_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)
_SHIFT_32, _SHIFT_33 = np.uint64(32), np.uint64(33)
_MIX_1, _MIX_2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)


def description_similarity(a: tuple[np.ndarray, int], b: tuple[np.ndarray, int]) -> float | None:
    """Estimated containment of the smaller description's word pairs in the other's (None: one is missing).

    Containment rather than Jaccard: a job board often truncates or prefixes the text it relays."""
    (sketch_a, size_a), (sketch_b, size_b) = a, b
    if not size_a or not size_b:
        return None
    union = np.union1d(sketch_a, sketch_b)[:SKETCH_SIZE]
    shared = np.intersect1d(sketch_a, sketch_b, assume_unique=True)
    jaccard = np.isin(union, shared, assume_unique=True).sum() / len(union)
    intersection = jaccard * (size_a + size_b) / (1 + jaccard)
    return float(min(1.0, intersection / min(size_a, size_b)))


def distance_km(lat1, lon1, lat2, lon2) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# Contract types that can describe the same contract: an apprenticeship or professionalisation contract is a CDD
# or a CDI, and sources without an "alternance" type file it so.
COMPATIBLE_CONTRACTS = frozenset({frozenset({"ALTERNANCE", "CDD"}), frozenset({"ALTERNANCE", "CDI"})})
# schema.org JobPosting employmentType, when the source gives no contract type: TEMPORARY is a fixed-term
# contract (CDD, intérim, saisonnier); FULL_TIME / PART_TIME without TEMPORARY is not one; CONTRACTOR is
# self-employment.
_EMPLOYMENT_TYPES = {
    "TEMPORARY": frozenset({"CDD", "INTERIM", "SAISONNIER", "ALTERNANCE"}),
    "CONTRACTOR": frozenset({"LIBERAL", "FRANCHISE"}),
    "INTERN": frozenset({"STAGE"}),
}
_OPEN_ENDED = frozenset({"CDI", "ALTERNANCE", "LIBERAL", "FRANCHISE"})


def contracts_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two publications' possible contract types (empty: unknown) can be the same contract."""
    if not a or not b:
        return True
    return any(x == y or frozenset({x, y}) in COMPATIBLE_CONTRACTS for x in a for y in b)


def possible_contracts(offer) -> frozenset[str]:
    if offer.contract_type:
        return frozenset({offer.contract_type})
    raw = getattr(offer, "raw", None) or {}
    types = raw.get("employmentType") if isinstance(raw, dict) else None
    if not types:
        return frozenset()
    types = {str(t).upper() for t in (types if isinstance(types, list) else [types])}
    possible = frozenset().union(*(_EMPLOYMENT_TYPES.get(t, frozenset()) for t in types))
    if possible:
        return possible
    if types & {"FULL_TIME", "PART_TIME"}:
        return _OPEN_ENDED
    return frozenset()


@dataclass(slots=True)
class Fingerprint:
    """The comparable form of one publication."""

    title: str
    sorted_title: str  # the title's words in sorted order: what the word-order test compares
    tokens: list[str]
    employer: str
    siret: str  # only a valid SIRET
    commune_code: str
    city: str
    latitude: float | None
    longitude: float | None
    contracts: frozenset[str]  # the contract type, or those the source's wording allows; empty: unknown
    published: datetime | None
    sketch: tuple[np.ndarray, int]

    def __reduce__(self):
        """Pickled as its values, the sketch as bytes (a prepared batch crosses to the writer process; a numpy
        array pickles at several times the cost)."""
        sketch, size = self.sketch
        return (_fingerprint_from_values, (*_FINGERPRINT_VALUES(self), sketch.tobytes(), size))

    def block_keys(self) -> list[str]:
        """Publications of one job share a place and one of the two longest title words."""
        places = {
            place
            for place in (self.commune_code and f"i{self.commune_code}", self.city and f"c{self.city}")
            if place
        }
        return [f"{place}|{token}" for place in sorted(places) for token in self.tokens]


_FINGERPRINT_VALUES = attrgetter(*(name for name in Fingerprint.__slots__ if name != "sketch"))


def _fingerprint_from_values(*values) -> Fingerprint:
    *fields, sketch, size = values
    return Fingerprint(*fields, (np.frombuffer(sketch, dtype=np.uint32), size))


def _aware(moment: datetime | None) -> datetime | None:
    """Naive dates (a source without time zone) are read as UTC, so every pair of dates can be compared."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def fingerprint(offer) -> Fingerprint:
    """`offer`: a CanonicalOffer (or any object with its attribute names)."""
    key = title_key(offer.title, offer.commune_name)
    siret = offer.siret if getattr(offer, "siret_valid", None) is not False else ""
    return Fingerprint(
        title=key,
        sorted_title=" ".join(sorted(key.split())),
        tokens=title_tokens(key),
        employer=employer_key(offer.employer_name),
        siret=siret if siret and len(siret) == 14 else "",
        commune_code=offer.commune_code or "",
        city=city_key(offer.postal_code, offer.commune_name),
        latitude=offer.latitude,
        longitude=offer.longitude,
        contracts=possible_contracts(offer),
        published=_aware(offer.published_at),
        sketch=description_sketch(getattr(offer, "description", "")),
    )
