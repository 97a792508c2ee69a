"""A search on the index: the same matches, facets and order as the database search (offers.selectors), computed
on numpy columns — every match counted, every facet exact, whatever their number."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from offers.search_index.segment import Segment
from offers.search_index.store import SearchIndex

FACETS = ("contract", "departement", "bassin", "rome")  # plus "source", counted from the (row, source) pairs
_NO_ROWS = np.zeros(0, dtype=np.uint32)


@dataclass(frozen=True)
class IndexQuery:
    words: list[str] = field(default_factory=list)  # offers.search.terms of the query
    rome: str = ""  # a ROME 4.0 code or a ROME v3 parent code
    appellation: int | None = None
    departement: str = ""
    bassin: str = ""
    contracts: list[str] = field(default_factory=list)
    published_since: float | None = None  # seconds since 1970
    sources: list[str] = field(default_factory=list)
    commune: str = ""  # INSEE code, when the search is on one commune
    centre: object | None = None  # offers.selectors._Centre, for a radius or a distance sort
    radius_km: float = 0.0


@dataclass
class IndexAnswer:
    total: int
    ids: list[int]  # the requested page, in order
    counts: dict[str, Counter]  # per facet, value -> offers
    published_counts: dict[int, int]  # per "published within N days" choice


def search_index(
    index: SearchIndex,
    query: IndexQuery,
    *,
    sort: str,
    start: int,
    stop: int,
    published_windows: dict[int, float],
) -> IndexAnswer:
    """The matches' count, facets and the page [start:stop] in the chosen order; `published_windows`: for each
    "published within N days" facet value, the date it counts from (seconds since 1970)."""
    counts = {name: Counter() for name in (*FACETS, "source")}
    ids, published, hits, distance_sq = [], [], [], []
    for segment, live in index.segments:
        rows = _matching_rows(segment, live, query)
        _count(segment, rows, counts)
        ids.append(segment.ids[rows])
        published.append(segment.published[rows])
        if sort == "relevance":
            hits.append(_title_hits(segment, rows, query.words))
        elif sort == "distance":
            distance_sq.append(_distance_sq(segment, rows, query.centre))
    ids, published = np.concatenate(ids), np.concatenate(published)
    published_counts = {
        days: int(np.count_nonzero(published >= since)) for days, since in published_windows.items()
    }
    order = _first_in_order(
        ids,
        published,
        stop=stop,
        hits=np.concatenate(hits) if hits else None,
        distance_sq=np.concatenate(distance_sq) if distance_sq else None,
    )
    return IndexAnswer(len(ids), ids[order[start:stop]].tolist(), counts, published_counts)


def _matching_rows(segment: Segment, live: np.ndarray | None, query: IndexQuery) -> np.ndarray:
    if query.words:
        postings = []
        for word in dict.fromkeys(query.words):
            rows = segment.rows_holding(word)
            if rows is None:
                return _NO_ROWS
            postings.append(rows)
        postings.sort(key=len)
        rows = np.asarray(postings[0])
        for other in postings[1:]:
            rows = rows[_contained(rows, other)]
    else:
        rows = np.arange(len(segment), dtype=np.uint32)
    if live is not None:
        rows = rows[live[rows]]
    if query.rome:
        rows = rows[
            _equals(segment, "rome", rows, query.rome) | _equals(segment, "rome_parent", rows, query.rome)
        ]
    if query.appellation:
        rows = rows[segment.appellation[rows] == query.appellation]
    for name, value in (
        ("departement", query.departement),
        ("bassin", query.bassin),
        ("commune", query.commune),
    ):
        if value:
            rows = rows[_equals(segment, name, rows, value)]
    if query.contracts:
        rows = rows[_one_of(segment, "contract", query.contracts)[segment.contract[rows]]]
    if query.published_since is not None:
        rows = rows[segment.published[rows] >= query.published_since]
    if query.sources:
        codes, owners = _sources_of(segment, rows)
        wanted = _one_of(segment, "source", query.sources)[codes]
        rows = rows[np.bincount(owners[wanted], minlength=len(rows)) > 0]
    if query.radius_km:  # last: its test costs two gathers and five operations an offer
        rows = rows[_distance_sq(segment, rows, query.centre) <= query.radius_km * query.radius_km]
    return rows


def _contained(rows: np.ndarray, sorted_rows: np.ndarray) -> np.ndarray:
    """Mask of `rows` found in `sorted_rows` (both sorted, the first usually the shorter)."""
    if not len(sorted_rows):
        return np.zeros(len(rows), dtype=bool)
    positions = np.minimum(np.searchsorted(sorted_rows, rows), len(sorted_rows) - 1)
    return sorted_rows[positions] == rows


def _one_of(segment: Segment, name: str, values: list[str]) -> np.ndarray:
    """A lookup table over the codes of a column: True for the codes of these values (one gather per row is
    cheaper than np.isin)."""
    table = np.zeros(len(segment.vocabularies[name]), dtype=bool)
    table[[segment.codes[name][v] for v in values if v in segment.codes[name]]] = True
    return table


def _equals(segment: Segment, name: str, rows: np.ndarray, value: str) -> np.ndarray:
    code = segment.codes[name].get(value)
    if code is None:
        return np.zeros(len(rows), dtype=bool)
    return getattr(segment, name)[rows] == code


def _distance_sq(segment: Segment, rows: np.ndarray, centre) -> np.ndarray:
    """offers.selectors._Centre.distance_sq_sql, in the same order of operations (the same floating-point
    values, so the same offers at the edge of the radius and the same order). The database also tests the
    radius's bounding box first, for its index; every point within the distance is inside that box."""
    dlat = segment.latitude[rows] - centre.latitude
    dlon = segment.longitude[rows] - centre.longitude
    return dlat * dlat * centre.ky2 + dlon * dlon * centre.kx2


def _title_hits(segment: Segment, rows: np.ndarray, words: list[str]) -> np.ndarray:
    """How many of the search words each offer's title holds."""
    hits = np.zeros(len(rows), dtype=np.int64)
    for word in dict.fromkeys(words):
        title_rows = segment.title_rows_holding(word)
        if title_rows is not None:
            hits += _contained(rows, title_rows)
    return hits


def _count(segment: Segment, rows: np.ndarray, counts: dict[str, Counter]) -> None:
    for name in FACETS:
        _add(counts[name], segment.vocabularies[name], getattr(segment, name)[rows])
    _add(counts["source"], segment.vocabularies["source"], _sources_of(segment, rows)[0])


def _sources_of(segment: Segment, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The source codes of the rows, each with the position in `rows` of the offer it belongs to."""
    starts = segment.source_offsets[rows]
    lengths = segment.source_offsets[rows + 1] - starts
    owners = np.repeat(np.arange(len(rows)), lengths)
    # Position of each entry in the concatenation, minus where its row's entries begin, plus its row's start.
    within = np.arange(len(owners)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return segment.source_codes[starts[owners] + within], owners


def _add(counter: Counter, vocabulary: list[str], codes: np.ndarray) -> None:
    tally = np.bincount(codes, minlength=len(vocabulary))
    for code in np.flatnonzero(tally):
        counter[vocabulary[code]] += int(tally[code])


def _first_in_order(
    ids: np.ndarray,
    published: np.ndarray,
    *,
    stop: int,
    hits: np.ndarray | None,
    distance_sq: np.ndarray | None,
) -> np.ndarray:
    """Positions of the first `stop` matches in the database search's order: relevance (title hits, then by
    date), distance (nearest, no place last, then by date) or date (published descending, no date last, then id
    descending). Only the matches that can be among the first `stop` are fully sorted."""
    undated = np.isnan(published)
    newest_first = np.where(undated, 0.0, -published)
    keys = [-ids, newest_first, undated]  # np.lexsort: the last key is the first compared
    if hits is not None:
        # Monotone in the exact order (a date in seconds is below 5e9; 1e10 keeps title hits apart).
        primary = -hits * 1e10 + np.where(undated, 5e9, newest_first)
        keys.append(-hits)
    elif distance_sq is not None:
        placeless = np.isnan(distance_sq)
        primary = np.where(placeless, np.inf, distance_sq)
        keys += [np.where(placeless, 0.0, distance_sq), placeless]
    else:
        primary = np.where(undated, np.inf, newest_first)
    candidates = np.arange(len(ids))
    if 0 < stop < len(ids):
        kth = np.partition(primary, stop - 1)[stop - 1]
        candidates = np.flatnonzero(primary <= kth)
    return candidates[np.lexsort([key[candidates] for key in keys])]
