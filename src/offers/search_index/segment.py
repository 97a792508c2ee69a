"""A segment: the open offers of one read of the database, as numpy columns and posting lists.

Rows are in offer id order. Text columns are codes into the segment's own vocabularies; the words of
`Offer.search_text` and of the title (`offers.search.terms`) have posting lists: for each word, the sorted rows
holding it. A segment is saved as one `.npy` file per array plus `meta.json`, and loaded memory-mapped, so the
web processes of a machine share one copy in the page cache.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from pathlib import Path

import numpy as np
import polars as pl

from offers.search import terms

# Offer fields read into a segment (`published`: offers.dbfunctions.EpochSeconds of published_at).
READ_FIELDS = (
    "pk",
    "search_text",
    "title",
    "published",
    "latitude",
    "longitude",
    "contract_type",
    "departement_code",
    "bassin_code",
    "rome_code",
    "fiche__parent_code",
    "appellation_id",
    "commune_id",
    "source_names",
)
# Text columns stored as codes into a vocabulary (filters and facets compare codes, not strings).
CODED = ("contract", "departement", "bassin", "rome", "rome_parent", "commune")
_ARRAYS = (
    "ids",
    "published",
    "latitude",
    "longitude",
    "appellation",
    *CODED,
    "source_offsets",
    "source_codes",
    "term_offsets",
    "term_rows",
    "title_offsets",
    "title_rows",
)


@dataclass
class Segment:
    ids: np.ndarray  # int64, ascending
    published: np.ndarray  # float64 seconds since 1970, NaN without a date
    latitude: np.ndarray  # float64, NaN when unknown
    longitude: np.ndarray
    appellation: np.ndarray  # int64, 0 without one
    contract: np.ndarray  # uint32 codes into vocabularies["contract"], and so on for each of CODED
    departement: np.ndarray
    bassin: np.ndarray
    rome: np.ndarray
    rome_parent: np.ndarray
    commune: np.ndarray
    source_offsets: np.ndarray  # int64: the sources of row i are source_codes[o[i]:o[i+1]] ...
    source_codes: np.ndarray  # ... codes into vocabularies["source"]
    term_offsets: np.ndarray  # int64: the rows holding the i-th word of `terms` are term_rows[o[i]:o[i+1]]
    term_rows: np.ndarray  # uint32
    title_offsets: np.ndarray  # the same for the words of titles (`title_terms`)
    title_rows: np.ndarray
    vocabularies: dict[str, list[str]]
    terms: list[str]
    title_terms: list[str]
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def term_index(self) -> dict[str, int]:
        return {term: i for i, term in enumerate(self.terms)}

    @cached_property
    def title_term_index(self) -> dict[str, int]:
        return {term: i for i, term in enumerate(self.title_terms)}

    @cached_property
    def codes(self) -> dict[str, dict[str, int]]:
        return {
            name: {value: i for i, value in enumerate(values)} for name, values in self.vocabularies.items()
        }

    def rows_holding(self, word: str) -> np.ndarray | None:
        """Sorted rows whose search text holds the word (None when no offer of the segment does)."""
        i = self.term_index.get(word)
        return None if i is None else self.term_rows[self.term_offsets[i] : self.term_offsets[i + 1]]

    def title_rows_holding(self, word: str) -> np.ndarray | None:
        i = self.title_term_index.get(word)
        return None if i is None else self.title_rows[self.title_offsets[i] : self.title_offsets[i + 1]]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True)
        for name in _ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)
        words = {"vocabularies": self.vocabularies, "terms": self.terms, "title_terms": self.title_terms}
        (directory / "words.json").write_text(json.dumps(words, ensure_ascii=False))
        (directory / "meta.json").write_text(json.dumps(self.meta))

    @classmethod
    def load(cls, directory: Path) -> Segment:
        # Plain arrays over the mapped files: numpy's memmap subclass costs microseconds on every slice.
        arrays = {name: np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS}
        words = json.loads((directory / "words.json").read_text())
        return cls(**arrays, **words, meta=json.loads((directory / "meta.json").read_text()))


# Offers whose words are grouped at once: bounds the memory of a build (a million offers' search texts are
# ~100 million words; grouped in one go they took 7 GB).
CHUNK_ROWS = 100_000


def read_segment(rows: Iterable[tuple], *, meta: dict | None = None) -> Segment:
    """Offers as a segment, from rows of READ_FIELDS in id order."""
    rows = iter(rows)
    columns: dict[str, list] = {name: [] for name in READ_FIELDS}
    text_parts, title_parts = [], []
    title_terms_of: dict[str, str] = {}
    while chunk := list(islice(rows, CHUNK_ROWS)):
        fields = dict(zip(READ_FIELDS, zip(*chunk, strict=True), strict=True))
        del chunk
        first = len(columns["pk"])
        text_parts.append(_chunk_postings(fields.pop("search_text"), first))
        title_texts = [
            title_terms_of.get(title) or title_terms_of.setdefault(title, " ".join(terms(title)))
            for title in fields.pop("title")
        ]
        title_parts.append(_chunk_postings(title_texts, first))
        for name, values in fields.items():
            columns[name].extend(values)
    vocabularies, coded = {}, {}
    for name, field_name in zip(
        CODED,
        ("contract_type", "departement_code", "bassin_code", "rome_code", "fiche__parent_code", "commune_id"),
        strict=True,
    ):
        vocabularies[name], coded[name] = _encode(columns[field_name])
    source_offsets, source_codes, vocabularies["source"] = _sources(columns["source_names"])
    term_list, term_offsets, term_rows = _merged_postings(text_parts)
    title_list, title_offsets, title_rows = _merged_postings(title_parts)
    return Segment(
        ids=np.array(columns["pk"], dtype=np.int64),
        published=np.array(columns["published"], dtype=np.float64),  # None -> NaN
        latitude=np.array(columns["latitude"], dtype=np.float64),
        longitude=np.array(columns["longitude"], dtype=np.float64),
        appellation=np.array([a or 0 for a in columns["appellation_id"]], dtype=np.int64),
        **coded,
        source_offsets=source_offsets,
        source_codes=source_codes,
        term_offsets=term_offsets,
        term_rows=term_rows,
        title_offsets=title_offsets,
        title_rows=title_rows,
        vocabularies=vocabularies,
        terms=term_list,
        title_terms=title_list,
        meta=meta or {},
    )


def _encode(values: list) -> tuple[list[str], np.ndarray]:
    series = pl.Series(values, dtype=pl.String).fill_null("")
    vocabulary = series.unique().sort().to_list()
    return vocabulary, series.cast(pl.Enum(vocabulary)).to_physical().to_numpy().astype(np.uint32)


def _sources(source_names: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Source names (" name1 name2 ") as codes, with the offsets of each row's codes."""
    pairs = (
        pl.DataFrame({"row": np.arange(len(source_names), dtype=np.uint32), "name": source_names})
        .with_columns(pl.col("name").fill_null("").str.split(" "))
        .explode("name")
        .filter(pl.col("name") != "")
    )
    vocabulary, codes = _encode(pairs["name"].to_list())
    offsets = np.searchsorted(pairs["row"].to_numpy(), np.arange(len(source_names) + 1)).astype(np.int64)
    return offsets, codes, vocabulary


def _chunk_postings(texts: tuple[str, ...] | list[str], first: int) -> pl.DataFrame:
    """(term, sorted rows) of space-separated texts, the first text being row `first` (grouped in Rust)."""
    return (
        pl.DataFrame({"row": np.arange(first, first + len(texts), dtype=np.uint32), "term": list(texts)})
        .lazy()
        .with_columns(pl.col("term").fill_null("").str.split(" ").list.unique())
        .explode("term")
        .filter(pl.col("term") != "")
        .group_by("term")
        .agg(pl.col("row").sort())
        .collect()
    )


def _merged_postings(parts: list[pl.DataFrame]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The words of every chunk in order, with the offsets of their rows in one array: a word's rows are its
    rows in each chunk, chunk after chunk, so they stay sorted."""
    if not parts:
        return [], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint32)
    merged = pl.concat(
        [part.with_columns(pl.lit(i, dtype=pl.UInt32).alias("chunk")) for i, part in enumerate(parts)]
    ).sort("term", "chunk")
    parts.clear()
    per_term = merged.group_by("term", maintain_order=True).agg(pl.col("row").list.len().sum().alias("count"))
    offsets = np.zeros(len(per_term) + 1, dtype=np.int64)
    np.cumsum(per_term["count"].to_numpy(), out=offsets[1:])
    rows = merged["row"].explode().to_numpy().astype(np.uint32) if len(merged) else np.zeros(0, np.uint32)
    return per_term["term"].to_list(), offsets, rows
