"""Text preparation for full-text search, identical on SQLite (FTS5) and PostgreSQL (tsvector).

Both engines index `Offer.search_text`, which is built here: folded (no accents, no case, no punctuation) and
lightly stemmed for French job titles — plurals ("boulangers" -> "boulanger") and feminine forms
("boulangère" -> "boulanger", "vendeuse" -> "vendeur", "animatrice" -> "animateur", "technicienne" ->
"technicien"). Queries go through the same function, so "Boulangère" finds "BOULANGERS (H/F)" on both engines.
Neither engine adds stemming of its own (FTS5's unicode61 tokenizer, PostgreSQL's 'simple' configuration), so
both, and the search index, match exactly these words.
"""

from __future__ import annotations

from functools import lru_cache

from core.text import fold

DESCRIPTION_CHARS = 1000  # enough to find an offer by its main words, small enough to keep the index light

_SUFFIXES = [  # applied once, longest first, after the plural
    ("trices", "teur"),
    ("trice", "teur"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("eres", "er"),
    ("ere", "er"),
    ("eaux", "eau"),
    ("aux", "al"),
]
_STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "de",
        "des",
        "du",
        "en",
        "et",
        "la",
        "le",
        "les",
        "l",
        "d",
        "un",
        "une",
        "pour",
        "par",
        "sur",
        "avec",
        "h",
        "f",
        "hf",
    ]
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Search terms of a text: folded, stemmed, without French stop words."""
    return [stem(word) for word in fold(text).split() if word not in _STOPWORDS]


def search_text(*parts: str) -> str:
    return " ".join(terms(" ".join(part for part in parts if part)))


def offer_search_text(
    *, title: str, employer: str, appellation: str, fiche: str, commune: str, description: str
) -> str:
    # The title twice: it weighs more in the ranking than words deep in a description.
    return search_text(
        title, title, employer, appellation, fiche, commune, (description or "")[:DESCRIPTION_CHARS]
    )
