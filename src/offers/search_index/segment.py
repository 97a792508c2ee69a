"""A segment: the open offers of one read of the database, as numpy columns and posting lists.

Rows are in offer id order. Text columns are codes into the segment's own vocabularies; the words of
`Offer.search_text` and of the title (`offers.search.terms`) have posting lists: for each word, the sorted rows
holding it. A segment is saved as one `.npy` file per array plus `meta.json`, and loaded memory-mapped, so the
web processes of a machine share one copy in the page cache.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import polars as pl
from django.db.models import QuerySet

from offers.search import terms

# Offer fields read into a segment (`published`: offers.selectors.EpochSeconds of published_at).
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


def read_segment(queryset: QuerySet, *, meta: dict | None = None) -> Segment:
    """The offers of `queryset` as a segment (`queryset` already carries the `published` annotation)."""
    columns: list[list] = [[] for _ in READ_FIELDS]
    for row in queryset.order_by("pk").values_list(*READ_FIELDS).iterator(chunk_size=5000):
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    (ids, texts, titles, published, latitude, longitude, contract, departement, bassin, rome, rome_parent,
     appellation, commune, source_names) = columns  # fmt: skip
    vocabularies, coded = {}, {}
    for name, values in zip(CODED, (contract, departement, bassin, rome, rome_parent, commune), strict=True):
        vocabularies[name], coded[name] = _encode(values)
    source_offsets, source_codes, vocabularies["source"] = _sources(source_names)
    term_list, term_offsets, term_rows = _postings(texts)
    title_terms_of: dict[str, str] = {}
    title_texts = [
        title_terms_of.get(title) or title_terms_of.setdefault(title, " ".join(terms(title)))
        for title in titles
    ]
    title_list, title_offsets, title_rows = _postings(title_texts)
    return Segment(
        ids=np.array(ids, dtype=np.int64),
        published=np.array(published, dtype=np.float64),  # None -> NaN
        latitude=np.array(latitude, dtype=np.float64),
        longitude=np.array(longitude, dtype=np.float64),
        appellation=np.array([a or 0 for a in appellation], dtype=np.int64),
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


def _postings(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Words of space-separated texts with, for each, the sorted rows holding it (in Rust: a million offers'
    search texts are 100 million words)."""
    grouped = (
        pl.DataFrame({"row": np.arange(len(texts), dtype=np.uint32), "term": texts})
        .lazy()
        .with_columns(pl.col("term").fill_null("").str.split(" ").list.unique())
        .explode("term")
        .filter(pl.col("term") != "")
        .group_by("term")
        .agg(pl.col("row").sort())
        .sort("term")
        .collect()
    )
    offsets = np.zeros(len(grouped) + 1, dtype=np.int64)
    np.cumsum(grouped["row"].list.len().to_numpy(), out=offsets[1:])
    rows = grouped["row"].explode().to_numpy().astype(np.uint32) if len(grouped) else np.zeros(0, np.uint32)
    return grouped["term"].to_list(), offsets, rows
