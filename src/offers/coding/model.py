"""ROME 4.0 coder: TF-IDF on folded text; centroids, appellations and nearest coded offers; calibrated by family.

Text: the title (word 1-2-grams + character 2-4-grams, "H/F" noise removed) and the description (word unigrams,
first 2,000 characters) are TF-IDF vectors normalised separately, then side by side, so title and description
weigh the same whatever their length. Three similarity signals are added for each of the 1,584 ROME 4.0 fiches:
- the cosine to the fiche's centroid, built from its appellations, its label, its definition and skills, and the
  coded offers of that fiche (pruned to the heaviest weights holding CENTROID_MASS of its squared norm);
- the cosine of the title's words to the fiche's closest appellation (weight APPELLATION_WEIGHT);
- the votes of the 10 most similar coded offers (similarity squared), which carries the way real offers are
  written and coded.
Scores are rolled up to the ROME family (the ROME v3 parent code, 532 families): a family's score is its best
fiche's score times (1 + FAMILY_PRIOR_WEIGHT x its prior among the coded offers); a softmax of the scores'
logarithms with a temperature fitted on out-of-fold predictions gives probabilities, and an isotonic map fitted
on the same predictions turns the best one into a calibrated confidence. Candidates are the best fiche of each of
the most probable families (docs/offers-coding.md). scikit-learn learns the vocabularies and idf at training;
tokenizing descriptions, weighting and scoring run in the compiled loops of `kernels`, the long rows of the
similarity matrix in one dense product per chunk of offers (`dense_similarity`).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import normalize
from threadpoolctl import ThreadpoolController

from core.text import fast_fold

from . import kernels
from .examples import OFFERS_FILE, clean_examples, read_francetravail_examples
from .referential import RomeReferential, load_referential

MODEL_VERSION = 5  # raise it whenever RomeCoder changes: older files are then rebuilt
DESCRIPTION_CHARS = 2000
NEIGHBOURS = 10
NEIGHBOUR_POWER = 2
NEIGHBOUR_WEIGHT = 1.0
APPELLATION_WEIGHT = 0.3
# How much the share of a family among real coded offers scales its score up (the most frequent family: x 1.7).
# Chosen on the calibration's out-of-fold predictions (training parts only): top-3 stops rising near 0.7, top-1
# is flat from 0.3 to 0.8 (docs/offers-coding.md).
FAMILY_PRIOR_WEIGHT = 0.7
DEFAULT_TEMPERATURE = 0.3  # of the softmax on log scores, until calibration fits it (the dev data gives 0.3)
# Evidence every family has: without any, the prior alone orders the families (and their log is defined).
EVIDENCE_FLOOR = 1e-6
# Auto-coding: the lowest confidence at which the out-of-fold predictions are still right this often.
AUTO_CODING_PRECISION = 0.95
CALIBRATION_FOLDS = 3
MIN_CALIBRATION_EXAMPLES = 60
CHUNK = 1024  # offers scored together: bounds the memory of a batch
CHAR_NGRAMS = (2, 4)
DESCRIPTION_MAX_DF = 0.5
CENTROID_MASS = 0.95  # share of each centroid's squared norm kept (_prune)
WORD_CACHE_SIZE = 200_000
# Features whose similarity row fills more than this share of the columns are scored by one dense matrix product
# (BLAS) per chunk of offers instead of entry by entry: 1/8 puts 82 % of an offer's similarity entries in 265 rows
# (docs/offers-coding.md, "Speed").
DENSE_ROW_SHARE = 1 / 8
# Fewer offers are scored by the loop alone: the product reads every long row (3.3 MB) whatever the offers hold
# (one offer: 0.41 ms with the loop alone, 0.66-0.70 through the product).
DENSE_MIN_OFFERS = 16
_TITLE_NOISE = frozenset({"h", "f", "x", "m", "hf", "fh"})  # "(H/F)", "F/H", "H/F/X"...


def _title_word_list(text: str) -> list[str]:
    return [word for word in text.split() if len(word) > 1 and word not in _TITLE_NOISE]


def title_words(text: str) -> list[str]:
    """Word unigrams and bigrams of a folded title, gender marks ("H/F") and one-letter words dropped."""
    words = _title_word_list(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def word_chars(word: str) -> list[str]:
    """Character n-grams of one word padded with a space (as scikit-learn's char_wb)."""
    padded = f" {word} "
    low, high = CHAR_NGRAMS
    return [padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def title_chars(text: str) -> list[str]:
    """Character n-grams inside the words of a folded title (the words `title_words` keeps)."""
    return [gram for word in _title_word_list(text) for gram in word_chars(word)]


def description_words(text: str) -> list[str]:
    return text.split()


@cache
def _thread_pools() -> ThreadpoolController:
    """The process's native thread pools (BLAS), found once: looking them up costs 0.6 ms."""
    return ThreadpoolController()


def item_texts(item: dict) -> tuple[str, str]:
    """Folded (title, description) of an item; an appellation label joins the title, skills the description."""
    title = item.get("title")
    if title is None:
        title = item.get("intitule")
    appellation = item.get("appellation") or item.get("appellation_label") or ""
    skills = item.get("skills") or ()
    description = str(item.get("description") or "")[:DESCRIPTION_CHARS]
    if skills:
        description = " ".join(str(skill) for skill in skills) + " " + description
    return fast_fold(f"{title or ''} {appellation}"), fast_fold(description)


def _vectorizer(analyzer, **options) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32, **options)


@dataclass(slots=True, frozen=True)
class SparseRows:
    """A CSR matrix as the three arrays the compiled kernels read, with fixed types (one compilation)."""

    indptr: np.ndarray  # int64
    indices: np.ndarray  # int16 when the columns allow it (less memory to stream), else int32
    data: np.ndarray  # float32
    columns: int

    @classmethod
    def from_csr(cls, matrix: sp.spmatrix) -> SparseRows:
        matrix = sp.csr_matrix(matrix)
        matrix.sum_duplicates()
        return cls(
            matrix.indptr.astype(np.int64),
            matrix.indices.astype(np.int16 if matrix.shape[1] <= np.iinfo(np.int16).max else np.int32),
            matrix.data.astype(np.float32),
            matrix.shape[1],
        )

    def to_csr(self) -> sp.csr_matrix:
        return sp.csr_matrix(
            (self.data, self.indices, self.indptr), shape=(len(self.indptr) - 1, self.columns)
        )


@dataclass(slots=True, frozen=True)
class WordTable:
    """Words -> feature ids, as the arrays of the compiled tokenizer (kernels.word_ids): a hash table that
    checks the word's bytes, so the ids are exactly a dictionary's."""

    hashes: np.ndarray  # uint64 per slot
    slots: np.ndarray  # int32 per slot: term number, -1 when free
    terms: np.ndarray  # uint8: the terms end to end
    term_starts: np.ndarray  # int64
    first_id: int  # feature id of term number 0

    @classmethod
    def build(cls, words: Sequence[str], first_id: int) -> WordTable:
        encoded = [word.encode("ascii") for word in words]
        terms = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
        term_starts = np.zeros(len(encoded) + 1, dtype=np.int64)
        term_starts[1:] = np.cumsum([len(word) for word in encoded])
        size = 1 << max(4, (2 * len(encoded)).bit_length())  # at most half full
        hashes, slots = kernels.word_table(terms, term_starts, size)
        return cls(hashes, slots, terms, term_starts, first_id)

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Folded texts -> (row starts, feature ids of their known words, in order)."""
        text = np.frombuffer("\n".join(texts).encode("ascii"), dtype=np.uint8)
        return kernels.word_ids(
            text, len(texts), self.hashes, self.slots, self.terms, self.term_starts, self.first_id
        )


@dataclass(slots=True)
class RomeCoder:
    codes: list[str]  # ROME 4.0 codes, grouped by family
    labels: dict[str, str]
    parents: dict[str, str]
    family_starts: np.ndarray  # index in `codes` where each family starts
    # Feature ids of the three blocks, one id space: title words, then title characters, then description words.
    word_ids: dict[str, int]
    char_ids: dict[str, int]
    description_words: WordTable
    idf: np.ndarray  # per feature
    block_of: np.ndarray  # per feature: 0 title words, 1 title characters, 2 description words
    # Features x (fiche centroids, then coded examples): one pass scores both (kernels.family_scores).
    similarity: SparseRows
    neighbour_fiches: np.ndarray  # index in `codes` of each coded example
    appellations: SparseRows  # title-word features x appellations and fiche labels (unit vectors)
    appellation_fiches: np.ndarray  # index in `codes` of each appellation
    family_prior: np.ndarray  # per family: log(1 + coded examples), scaled to [0, 1]
    temperature: float = DEFAULT_TEMPERATURE
    # Isotonic map of the best family's softmax probability to its out-of-fold accuracy (x ascending).
    calibration_x: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))
    calibration_y: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))
    threshold: float = 0.8  # auto-coding threshold on the confidence
    info: dict = field(default_factory=dict)
    # Title word -> its character n-gram feature ids: titles repeat their words, so each is cut once per process.
    _word_char_ids: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    # What `dense_similarity` derives from `similarity` (on load, or on first use after training).
    _dense_similarity: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )

    _DERIVED = ("_word_char_ids", "_dense_similarity")

    def __getstate__(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__ if name not in self._DERIVED}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self._word_char_ids = {}
        self._dense_similarity = None

    # -- features -------------------------------------------------------------------------------------------
    def _char_ids(self, word: str) -> list[int]:
        ids = self._word_char_ids.get(word)
        if ids is None:
            if len(self._word_char_ids) >= WORD_CACHE_SIZE:  # bounded: a long-lived process sees odd words
                self._word_char_ids.clear()
            char_ids = self.char_ids
            ids = [char_ids[gram] for gram in word_chars(word) if gram in char_ids]
            self._word_char_ids[word] = ids
        return ids

    def features(self, titles: Sequence[str], descriptions: Sequence[str]) -> SparseRows:
        """Folded texts (fast_fold) -> one L2-normalised TF-IDF row per text (kernels.tfidf_rows weighs them)."""
        if not len(titles):
            empty = np.zeros(0, dtype=np.int32)
            return SparseRows(np.zeros(1, dtype=np.int64), empty, empty.astype(np.float32), len(self.idf))
        word_get, char_ids = self.word_ids.get, self._char_ids
        ids: list[int] = []
        lengths = []
        for title in titles:
            before = len(ids)
            words = _title_word_list(title)
            ids += map(word_get, words, repeat(-1))
            ids += map(word_get, map(" ".join, zip(words, words[1:], strict=False)), repeat(-1))
            for word in words:
                ids += char_ids(word)
            lengths.append(len(ids) - before)
        title_ids = np.array(ids, dtype=np.int32)
        known = title_ids >= 0
        row_of = np.repeat(np.arange(len(lengths)), lengths)
        title_starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        title_starts[1:] = np.cumsum(np.bincount(row_of[known], minlength=len(lengths)))
        description_starts, description_ids = self.description_words.lookup(descriptions)
        indptr, indices, data = kernels.tfidf_rows(
            title_starts, title_ids[known], description_starts, description_ids, self.idf, self.block_of
        )
        return SparseRows(indptr, indices, data, len(self.idf))

    def vectorize(self, titles: Sequence[str], descriptions: Sequence[str]) -> sp.csr_matrix:
        return self.features(titles, descriptions).to_csr()

    def dense_similarity(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The similarity rows longer than DENSE_ROW_SHARE of the columns, dense: (row of each feature in the
        copy or -1, the copy, and -1 for every feature: the row numbers that leave every row to the loop)."""
        if self._dense_similarity is None:
            similarity = self.similarity
            lengths = np.diff(similarity.indptr)
            long_rows = np.flatnonzero(lengths > DENSE_ROW_SHARE * similarity.columns)
            every_row_sparse = np.full(len(lengths), -1, dtype=np.int32)
            row_of = every_row_sparse.copy()
            row_of[long_rows] = np.arange(len(long_rows), dtype=np.int32)
            dense = similarity.to_csr()[long_rows].toarray().astype(np.float32, copy=False)
            self._dense_similarity = (row_of, np.ascontiguousarray(dense), every_row_sparse)
        return self._dense_similarity

    def scores(self, features: SparseRows) -> tuple[np.ndarray, np.ndarray]:
        """(family scores, best fiche index of each family), rows x families (kernels.family_scores)."""
        offers = len(features.indptr) - 1
        dense_row_of, dense_similarity, every_row_sparse = self.dense_similarity()
        if offers >= DENSE_MIN_OFFERS:
            # The long rows' part: the offers' weights on the long rows, times those rows (one BLAS product).
            rows = np.repeat(np.arange(offers), np.diff(features.indptr))
            dense_rows = dense_row_of[features.indices]
            on_dense = dense_rows >= 0
            weights = np.zeros((offers, len(dense_similarity)), dtype=np.float32)
            weights[rows[on_dense], dense_rows[on_dense]] = features.data[on_dense]
            with _thread_pools().limit(limits=1, user_api="blas"):  # the other core imports or serves
                dense_scores = weights @ dense_similarity
        else:
            dense_row_of = every_row_sparse
            dense_scores = np.zeros((offers, self.similarity.columns), dtype=np.float32)
        family_scores, best_fiches = kernels.family_scores(
            features.indptr,
            features.indices,
            features.data,
            self.similarity.indptr,
            self.similarity.indices,
            self.similarity.data,
            dense_row_of,
            dense_scores,
            len(self.codes),
            self.neighbour_fiches,
            NEIGHBOURS,
            float(NEIGHBOUR_POWER),
            float(NEIGHBOUR_WEIGHT),
            len(self.word_ids),
            self.appellations.indptr,
            self.appellations.indices,
            self.appellations.data,
            self.appellation_fiches,
            float(APPELLATION_WEIGHT),
            self.family_starts,
        )
        # The prior scales the evidence: a factor, not a bonus, so a frequent family gains in proportion to its
        # evidence for this offer, and without evidence it does not crowd the candidates of rank 2 and 3.
        family_scores += np.float32(EVIDENCE_FLOOR)
        family_scores *= 1 + np.float32(FAMILY_PRIOR_WEIGHT) * self.family_prior
        return family_scores, best_fiches

    # -- inference -------------------------------------------------------------------------------------------
    def classify_texts(self, titles: Sequence[str], descriptions: Sequence[str], top_k: int = 5):
        results = []
        for start in range(0, len(titles), CHUNK):
            features = self.features(titles[start : start + CHUNK], descriptions[start : start + CHUNK])
            results.extend(self._candidates(*self.scores(features), top_k))
        return results

    def classify(self, items: Iterable[dict], top_k: int = 5) -> list[list[tuple[str, float]]]:
        """For each item (`title`, `description`, optional `skills`, `appellation`): [(ROME 4.0 code, score)],
        best first, one code per ROME family; the first score is the calibrated probability that its family is
        right, the others share the rest."""
        texts = [item_texts(item) for item in items]
        return self.classify_texts(
            [title for title, _ in texts], [description for _, description in texts], top_k
        )

    def _candidates(
        self, family_scores: np.ndarray, best_fiches: np.ndarray, top_k: int
    ) -> list[list[tuple[str, float]]]:
        if not len(family_scores):
            return []
        # Softmax over the families; only the top_k probabilities are ever needed.
        shifted = _log_ratios(family_scores) / np.float32(self.temperature)
        totals = np.exp(shifted).sum(axis=1, dtype=np.float64)
        top_k = min(top_k, family_scores.shape[1])
        rows = np.arange(len(family_scores))[:, None]
        families = np.argpartition(shifted, -top_k, axis=1)[:, -top_k:]
        families = families[rows, np.argsort(-shifted[rows, families], axis=1, kind="stable")]
        ranked = np.exp(shifted[rows, families].astype(np.float64)) / totals[:, None]
        # The best family's probability becomes its calibrated accuracy; the others share the rest in proportion.
        best = np.interp(ranked[:, 0], self.calibration_x, self.calibration_y)
        rest = (1 - best) / np.maximum(1 - ranked[:, 0], 1e-9)
        confidences = np.minimum.accumulate(np.column_stack([best, ranked[:, 1:] * rest[:, None]]), axis=1)
        codes = self.codes
        return [
            [
                (codes[fiche], confidence)
                for fiche, confidence in zip(row_fiches, row_confidences, strict=True)
            ]
            for row_fiches, row_confidences in zip(
                best_fiches[rows, families].tolist(), confidences.round(4).tolist(), strict=True
            )
        ]

    def family(self, code: str) -> str:
        return self.parents.get(code, code)

    # -- persistence -----------------------------------------------------------------------------------------
    def save(self, path: Path | str) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")  # one per writer
        with temporary.open("wb") as handle:
            pickle.dump({"version": MODEL_VERSION, "model": self}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
        return path


def load(path: Path | str) -> RomeCoder:
    with Path(path).open("rb") as handle:
        try:
            payload = pickle.load(handle)
        except Exception as exc:  # a file of an older layout fails inside its classes, whatever the error
            raise ValueError(
                f"{path}: not readable as a ROME coder model of version {MODEL_VERSION} "
                f"({type(exc).__name__}: {exc}); rebuild it (train-model)"
            ) from exc
    if not isinstance(payload, dict) or payload.get("version") != MODEL_VERSION:
        raise ValueError(
            f"{path}: not a ROME coder model of version {MODEL_VERSION}; rebuild it (train-model)"
        )
    coder = payload["model"]
    coder.dense_similarity()  # derived now: the first offer coded pays nothing, a forked process shares it
    return coder


# -- training ------------------------------------------------------------------------------------------------
def _referential_documents(referential: RomeReferential) -> tuple[list[str], list[str], list[str]]:
    titles, descriptions, codes = [], [], []
    for label, code, _rare in referential.appellations:
        titles.append(fast_fold(label))
        descriptions.append("")
        codes.append(code)
    for code, label in referential.labels.items():
        titles.append(fast_fold(label))
        descriptions.append(
            fast_fold(" ".join(referential.texts.get(code, []) + referential.skills.get(code, [])))
        )
        codes.append(code)
    return titles, descriptions, codes


def _log_ratios(family_scores: np.ndarray) -> np.ndarray:
    """log(score / best score) of each family: the softmax works on these, as a family's score is a product
    (its evidence times its prior factor), so ratios between families mean the same at any level of evidence
    (out-of-fold: log-loss 0.56 instead of 1.3 for the softmax on the scores themselves, and more offers
    auto-coded at the same precision)."""
    logs = np.log(family_scores)
    return logs - logs.max(axis=1, keepdims=True)


def _family_prior(family_starts: np.ndarray, example_codes: np.ndarray, code_count: int) -> np.ndarray:
    family_of = np.searchsorted(family_starts, np.arange(code_count), side="right") - 1
    counts = np.log1p(np.bincount(family_of[example_codes], minlength=len(family_starts)).astype(float))
    return counts / counts.max() if counts.max() > 0 else counts


def _prune(centroids: sp.csr_matrix, mass: float) -> sp.csr_matrix:
    """Keep in each row (a centroid) its heaviest weights holding `mass` of its squared norm: the many faint
    weights that a centroid gathers from hundreds of documents cost most of the scoring and barely move it."""
    centroids = sp.csr_matrix(centroids)
    centroids.sort_indices()
    keep = np.zeros(centroids.nnz, dtype=bool)
    for row in range(centroids.shape[0]):
        start, end = centroids.indptr[row], centroids.indptr[row + 1]
        squares = centroids.data[start:end].astype(np.float64) ** 2
        order = np.argsort(-squares, kind="stable")
        held = np.cumsum(squares[order])
        count = int(np.searchsorted(held, mass * held[-1])) + 1 if len(order) else 0
        keep[start + order[:count]] = True
    centroids.data[~keep] = 0
    centroids.eliminate_zeros()
    return centroids


def _fit(
    referential: RomeReferential, examples: list[dict], *, temperature: float, threshold: float, info: dict
):
    codes = sorted(referential.labels, key=lambda code: (referential.parent(code), code))
    code_index = {code: i for i, code in enumerate(codes)}
    families = [referential.parent(code) for code in codes]
    family_starts = np.array(
        [i for i, family in enumerate(families) if i == 0 or family != families[i - 1]], dtype=np.int64
    )

    ref_titles, ref_descriptions, ref_codes = _referential_documents(referential)
    example_texts = [item_texts(example) for example in examples]
    titles = ref_titles + [title for title, _ in example_texts]
    descriptions = ref_descriptions + [description for _, description in example_texts]
    labels = np.array(
        [code_index[code] for code in ref_codes + [e["rome_code"] for e in examples]], dtype=np.int32
    )

    # scikit-learn learns the vocabularies (document frequency bounds) and the idf; the kernels do the rest.
    words = _vectorizer(title_words).fit(titles)
    chars = _vectorizer(title_chars).fit(titles)
    description = _vectorizer(description_words, min_df=2, max_df=DESCRIPTION_MAX_DF).fit(descriptions)
    offsets = np.cumsum([0, len(words.vocabulary_), len(chars.vocabulary_)])
    example_fiches = labels[len(ref_codes) :]
    coder = RomeCoder(
        codes=codes,
        labels=dict(referential.labels),
        parents=dict(referential.parents),
        family_starts=family_starts,
        word_ids={term: int(i) for term, i in words.vocabulary_.items()},
        char_ids={term: int(offsets[1] + i) for term, i in chars.vocabulary_.items()},
        description_words=WordTable.build(
            sorted(description.vocabulary_, key=description.vocabulary_.get), int(offsets[2])
        ),
        idf=np.concatenate([words.idf_, chars.idf_, description.idf_]).astype(np.float32),
        block_of=np.repeat(
            np.arange(3, dtype=np.int8),
            [len(words.vocabulary_), len(chars.vocabulary_), len(description.vocabulary_)],
        ),
        similarity=SparseRows.from_csr(sp.csr_matrix((0, 0))),
        neighbour_fiches=example_fiches,
        appellations=SparseRows.from_csr(sp.csr_matrix((0, 0))),
        appellation_fiches=np.zeros(0, dtype=np.int32),
        family_prior=_family_prior(family_starts, example_fiches, len(codes)).astype(np.float32),
        temperature=temperature,
        threshold=threshold,
        info=info,
    )
    features = coder.vectorize(titles, descriptions)
    membership = sp.csr_matrix(
        (np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
        shape=(len(codes), len(labels)),
    )
    centroids = _prune(normalize(membership @ features), CENTROID_MASS)
    coder.similarity = SparseRows.from_csr(sp.vstack([centroids, features[len(ref_codes) :]]).T)
    # Appellations and fiche labels (title-only documents), on the title-word block.
    title_only = sorted(
        {i for i, description in enumerate(ref_descriptions) if not description}
        | {len(referential.appellations) + i for i in range(len(referential.labels))}
    )
    title_vectors = coder.vectorize([ref_titles[i] for i in title_only], [""] * len(title_only))
    coder.appellations = SparseRows.from_csr(normalize(title_vectors[:, : len(coder.word_ids)]).T)
    coder.appellation_fiches = labels[title_only]
    return coder


def _calibrate(referential: RomeReferential, examples: list[dict], seed: int):
    """Temperature and auto-coding threshold from out-of-fold predictions on the coded examples.

    Folds keep each title + employer group on one side (the same job re-posted must not be its own neighbour).
    """
    groups = [example["group"] for example in examples]
    if len(examples) < MIN_CALIBRATION_EXAMPLES or len(set(groups)) < CALIBRATION_FOLDS:
        identity = (np.array([0.0, 1.0]), np.array([0.0, 1.0]))
        return DEFAULT_TEMPERATURE, 0.8, identity, {"calibration": "default (too few coded examples)"}
    # Shuffle the groups with the seed so the folds do not follow the file order.
    rng = np.random.default_rng(seed)
    unique_groups = sorted(set(groups))
    group_rank = dict(zip(unique_groups, rng.permutation(len(unique_groups)), strict=True))
    group_ids = np.array([group_rank[group] for group in groups])
    family_scores, truths = [], []
    for train_index, test_index in GroupKFold(CALIBRATION_FOLDS).split(examples, groups=group_ids):
        coder = _fit(referential, [examples[i] for i in train_index], temperature=1.0, threshold=1.0, info={})
        titles, descriptions = zip(*(item_texts(examples[i]) for i in test_index), strict=True)
        family_scores.append(coder.scores(coder.features(titles, descriptions))[0])
        family_of = np.searchsorted(coder.family_starts, np.arange(len(coder.codes)), side="right") - 1
        code_index = {code: i for i, code in enumerate(coder.codes)}
        truths.append(np.array([family_of[code_index[examples[i]["rome_code"]]] for i in test_index]))
    family_scores = np.vstack(family_scores)
    truth = np.concatenate(truths)
    shifted = _log_ratios(family_scores)
    best_temperature, best_loss = DEFAULT_TEMPERATURE, np.inf
    for temperature in np.geomspace(0.02, 5, 61):
        logits = shifted / temperature
        log_norm = np.log(np.exp(logits).sum(axis=1))
        loss = float(np.mean(log_norm - logits[np.arange(len(truth)), truth]))
        if loss < best_loss:
            best_temperature, best_loss = float(temperature), loss
    probabilities = np.exp(shifted / best_temperature)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    correct = probabilities.argmax(axis=1) == truth
    isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
        probabilities.max(axis=1), correct.astype(float)
    )
    calibration = (
        np.asarray(isotonic.X_thresholds_, dtype=float),
        np.asarray(isotonic.y_thresholds_, dtype=float),
    )
    confidence = np.interp(probabilities.max(axis=1), *calibration)
    order = np.argsort(-confidence, kind="stable")
    running_precision = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    # The lowest confidence whose whole "above" set still meets the precision target.
    meeting = np.nonzero(running_precision >= AUTO_CODING_PRECISION)[0]
    threshold = float(confidence[order][meeting[-1]]) if len(meeting) else 1.0
    return (
        best_temperature,
        round(threshold, 4),
        calibration,
        {
            "calibration": f"{CALIBRATION_FOLDS}-fold out-of-fold, {len(truth)} coded examples",
            "oof_top1_family": round(float(correct.mean()), 4),
            "oof_log_loss": round(best_loss, 4),
        },
    )


def train(
    data_dir: Path | str,
    extra_examples: Iterable[dict] = (),
    seed: int = 0,
    *,
    offer_examples: Iterable[dict] | None = None,
) -> RomeCoder:
    """Train the coder from the ROME 4.0 referential of `data_dir`, real coded offers and extra labelled examples.

    `offer_examples` defaults to the coded France Travail offers of `data_dir/offers/`; `extra_examples` are
    dicts `{"title", "description", "rome_code"}` (e.g. the advisors' choices of the review list). Same seed and
    data give the same model.
    """
    referential = load_referential(data_dir)
    if offer_examples is None:
        offers_path = Path(data_dir) / OFFERS_FILE
        offer_examples = read_francetravail_examples(offers_path, referential) if offers_path.exists() else []
    examples = list(clean_examples([*offer_examples, *extra_examples], referential))
    temperature, threshold, calibration, info = _calibrate(referential, examples, seed)
    info.update(
        {
            "seed": seed,
            "fiches": len(referential.labels),
            "appellations": len(referential.appellations),
            "coded_examples": len(examples),
            "temperature": temperature,
            "threshold": threshold,
        }
    )
    coder = _fit(referential, examples, temperature=temperature, threshold=threshold, info=info)
    coder.calibration_x, coder.calibration_y = calibration
    return coder
