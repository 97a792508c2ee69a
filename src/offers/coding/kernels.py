"""Compiled loops of the ROME coder (numba): TF-IDF rows from term ids, and the fused scoring of offers.

Why compiled: coding ≥ 5,000 offers per second on one core leaves about 200 µs per offer. The scores are sparse
products whose outputs are dense (every fiche and every coded offer gets a value), so scipy's sparse products
(two passes, a sparse result, then `.toarray()`) and the per-fiche maxima over 14,704 appellation columns cost
most of the time. Here each offer is scored in one pass over its features with dense accumulators that stay in
cache, and only the family-level results leave the loop (docs/offers-coding.md).

All loops release the GIL (`nogil`), so threads can score chunks side by side. Compiled code is cached on disk
(`cache=True`): only the first process after an install pays the compilation (a few seconds).
"""

from __future__ import annotations

import numpy as np
from numba import njit

TITLE_WORDS, TITLE_CHARS, DESCRIPTION = 0, 1, 2


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_SPACE, _NEWLINE = 32, 10


@njit(cache=True, nogil=True)
def word_hash(text, start, end):  # pragma: no cover - compiled
    """FNV-1a 64-bit hash of text[start:end] (uint8)."""
    value = _FNV_OFFSET
    for position in range(start, end):
        value = (value ^ np.uint64(text[position])) * _FNV_PRIME
    return value


@njit(cache=True, nogil=True)
def word_table(terms, term_starts, size):  # pragma: no cover - compiled
    """Open-addressing table of the terms (`terms[term_starts[i]:term_starts[i + 1]]`, i = term number):
    (hash of each slot, term number of each slot or -1); `size` is a power of two above the term count."""
    hashes = np.zeros(size, dtype=np.uint64)
    slots = np.full(size, -1, dtype=np.int32)
    for term in range(len(term_starts) - 1):
        value = word_hash(terms, term_starts[term], term_starts[term + 1])
        slot = np.int64(value & np.uint64(size - 1))
        while slots[slot] >= 0:
            slot = (slot + 1) & (size - 1)
        hashes[slot] = value
        slots[slot] = term
    return hashes, slots


@njit(cache=True, nogil=True)
def _find(text, start, end, hashes, slots, terms, term_starts):  # pragma: no cover - compiled
    value = word_hash(text, start, end)
    mask = len(slots) - 1
    slot = np.int64(value & np.uint64(mask))
    while slots[slot] >= 0:
        term = slots[slot]
        if hashes[slot] == value and term_starts[term + 1] - term_starts[term] == end - start:
            same = True
            for offset in range(end - start):
                if terms[term_starts[term] + offset] != text[start + offset]:
                    same = False
                    break
            if same:
                return term
        slot = (slot + 1) & mask
    return -1


@njit(cache=True, nogil=True)
def word_ids(text, rows, hashes, slots, terms, term_starts, first_id):  # pragma: no cover - compiled
    """Folded texts joined by newlines (uint8: letters, digits, spaces) -> (row starts, feature ids of their
    space-separated words found in the table, `first_id` + term number); unknown words are skipped. The same
    words as `str.split()` and a dictionary lookup, without making a Python string of each word."""
    ids = np.empty(len(text) // 2 + 1, dtype=np.int32)
    row_starts = np.zeros(rows + 1, dtype=np.int64)
    found = 0
    row = 0
    start = -1
    for position in range(len(text) + 1):
        char = text[position] if position < len(text) else _NEWLINE
        if char <= _SPACE:  # folded text: a space or a newline, else a letter or a digit
            if start >= 0:
                term = _find(text, start, position, hashes, slots, terms, term_starts)
                if term >= 0:
                    ids[found] = first_id + term
                    found += 1
                start = -1
            if char == _NEWLINE:
                row += 1
                row_starts[row] = found
        elif start < 0:
            start = position
    return row_starts, ids[:found]


@njit(cache=True, nogil=True)
def tfidf_rows(
    title_starts, title_ids, description_starts, description_ids, idf, block_of
):  # pragma: no cover
    """Term ids of each row's title and description (repeats allowed) -> CSR arrays (indptr, indices, data) of
    sublinear TF-IDF weights, normalised block by block: each block to norm 1, the two title blocks to
    1/sqrt(number of title blocks present) so they share the title's half, then the row to 1."""
    rows = len(title_starts) - 1
    indptr = np.zeros(rows + 1, dtype=np.int64)
    indices = np.empty(len(title_ids) + len(description_ids), dtype=np.int32)
    data = np.empty(len(indices), dtype=np.float32)
    squares = np.zeros(3, dtype=np.float64)
    scale = np.zeros(3, dtype=np.float64)
    out = 0
    for row in range(rows):
        terms = np.sort(
            np.concatenate(
                (
                    title_ids[title_starts[row] : title_starts[row + 1]],
                    description_ids[description_starts[row] : description_starts[row + 1]],
                )
            )
        )
        first = out
        squares[:] = 0.0
        position = 0
        while position < len(terms):
            term = terms[position]
            count = 1
            while position + count < len(terms) and terms[position + count] == term:
                count += 1
            weight = (np.log(count) + 1.0) * idf[term]
            indices[out] = term
            data[out] = weight
            squares[block_of[term]] += weight * weight
            out += 1
            position += count
        title_blocks = (squares[TITLE_WORDS] > 0) + (squares[TITLE_CHARS] > 0)
        row_norm = np.sqrt((title_blocks > 0) + (squares[DESCRIPTION] > 0))
        for block in range(3):
            scale[block] = 0.0
            if squares[block] > 0:
                scale[block] = 1.0 / np.sqrt(squares[block]) / row_norm
                if block != DESCRIPTION:
                    scale[block] /= np.sqrt(title_blocks)
        for entry in range(first, out):
            data[entry] = data[entry] * scale[block_of[indices[entry]]]
        indptr[row + 1] = out
    return indptr, indices[:out], data[:out]


@njit(cache=True, nogil=True, fastmath=True)
def family_scores(  # pragma: no cover - compiled
    indptr,
    indices,
    data,
    similarity_indptr,
    similarity_indices,
    similarity_data,
    dense_row_of,
    dense_scores,
    fiche_count,
    neighbour_fiches,
    neighbours,
    neighbour_power,
    neighbour_weight,
    word_features,
    appellation_indptr,
    appellation_indices,
    appellation_data,
    appellation_fiches,
    appellation_weight,
    family_starts,
):
    """Rows of L2-normalised features (CSR) -> (family scores, best fiche of each family), rows x families.

    A fiche's score is its centroid cosine + `appellation_weight` x the cosine of the title words to its closest
    appellation + `neighbour_weight` x the votes of the `neighbours` most similar coded offers (similarity to the
    power `neighbour_power`). `similarity` is features x (fiche centroids, then coded offers); the features with
    long rows (`dense_row_of[feature]` >= 0) are skipped here: `dense_scores` (rows x columns) holds their part
    of the products, computed by the caller as one dense matrix product. `appellation` is title-word features x
    appellations (unit vectors), `appellation_fiches` gives each one's fiche. A family's score is its best
    fiche's (the caller applies the family prior).
    """
    rows = len(indptr) - 1
    columns = fiche_count + len(neighbour_fiches)
    families = len(family_starts)
    scores_out = np.empty((rows, families), dtype=np.float32)
    best_out = np.empty((rows, families), dtype=np.int32)
    accumulator = np.zeros(columns, dtype=np.float32)
    appellation_sums = np.zeros(len(appellation_fiches), dtype=np.float32)
    touched = np.empty(len(appellation_fiches), dtype=np.int32)
    closest = np.zeros(fiche_count, dtype=np.float32)
    nearest_similarity = np.zeros(max(neighbours, 1), dtype=np.float32)
    nearest_index = np.zeros(max(neighbours, 1), dtype=np.int32)
    for row in range(rows):
        accumulator[:] = dense_scores[row]
        closest[:] = 0.0
        touched_count = 0
        word_squares = 0.0
        for entry in range(indptr[row], indptr[row + 1]):
            feature = indices[entry]
            weight = data[entry]
            if dense_row_of[feature] < 0:
                for k in range(similarity_indptr[feature], similarity_indptr[feature + 1]):
                    accumulator[similarity_indices[k]] += weight * similarity_data[k]
            if feature < word_features:
                word_squares += weight * weight
                for k in range(appellation_indptr[feature], appellation_indptr[feature + 1]):
                    appellation = appellation_indices[k]
                    if appellation_sums[appellation] == 0.0:
                        touched[touched_count] = appellation
                        touched_count += 1
                    appellation_sums[appellation] += weight * appellation_data[k]
        # Appellations: the closest one of each fiche, cosine to the title words alone.
        word_norm = np.sqrt(word_squares) if word_squares > 0 else 1.0
        for t in range(touched_count):
            appellation = touched[t]
            cosine = appellation_sums[appellation] / word_norm
            fiche = appellation_fiches[appellation]
            if cosine > closest[fiche]:
                closest[fiche] = cosine
            appellation_sums[appellation] = 0.0
        for fiche in range(fiche_count):
            accumulator[fiche] += appellation_weight * closest[fiche]
        # Nearest coded offers: keep the `neighbours` best similarities (sorted, first index wins ties).
        found = 0
        for example in range(len(neighbour_fiches) if neighbours > 0 else 0):
            value = accumulator[fiche_count + example]
            if value <= 0.0 or (found == neighbours and value <= nearest_similarity[found - 1]):
                continue
            position = found if found < neighbours else neighbours - 1
            while position > 0 and nearest_similarity[position - 1] < value:
                nearest_similarity[position] = nearest_similarity[position - 1]
                nearest_index[position] = nearest_index[position - 1]
                position -= 1
            nearest_similarity[position] = value
            nearest_index[position] = example
            if found < neighbours:
                found += 1
        for n in range(found):
            accumulator[neighbour_fiches[nearest_index[n]]] += neighbour_weight * (
                nearest_similarity[n] ** neighbour_power
            )
        # Families: the best fiche's score.
        for family in range(families):
            start = family_starts[family]
            end = family_starts[family + 1] if family + 1 < families else fiche_count
            best = start
            for fiche in range(start + 1, end):
                if accumulator[fiche] > accumulator[best]:
                    best = fiche
            scores_out[row, family] = accumulator[best]
            best_out[row, family] = best
    return scores_out, best_out
