"""ROME 4.0 coder: TF-IDF on folded text; centroids, appellations and nearest coded offers; calibrated by family.

Text: the title (word 1-2-grams + character 2-4-grams, "H/F" noise removed) and the description (word unigrams,
first 2,000 characters) are TF-IDF vectors normalised separately, then side by side, so title and description
weigh the same whatever their length. Three similarity signals are added for each of the 1,584 ROME 4.0 fiches:
- the cosine to the fiche's centroid, built from its appellations, its label, its definition and skills, and the
  coded offers of that fiche;
- the cosine of the title's words to the fiche's closest appellation (weight APPELLATION_WEIGHT);
- the votes of the 10 most similar coded offers (similarity squared), which carries the way real offers are
  written and coded.
Scores are rolled up to the ROME family (the ROME v3 parent code, 532 families): a family's score is its best
fiche's score plus its prior among the coded offers (FAMILY_PRIOR_WEIGHT); a softmax with a temperature fitted
on out-of-fold predictions gives probabilities, and an isotonic map fitted on the same predictions turns the best
one into a calibrated confidence. Candidates are the best fiche of each of the most probable families
(docs/offers-coding.md).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import normalize

from core.text import fold

from .examples import OFFERS_FILE, clean_examples, read_francetravail_examples
from .referential import RomeReferential, load_referential

MODEL_VERSION = 3  # raise it whenever RomeCoder changes: older files are then rebuilt
DESCRIPTION_CHARS = 2000
NEIGHBOURS = 10
NEIGHBOUR_POWER = 2
NEIGHBOUR_WEIGHT = 1.0
APPELLATION_WEIGHT = 0.3
FAMILY_PRIOR_WEIGHT = 0.2  # how much the share of a family among real coded offers counts
# Auto-coding: the lowest confidence at which the out-of-fold predictions are still right this often.
AUTO_CODING_PRECISION = 0.95
CALIBRATION_FOLDS = 3
MIN_CALIBRATION_EXAMPLES = 60
CHUNK = 512
CHAR_NGRAMS = (2, 4)
DESCRIPTION_MAX_DF = 0.5
_TITLE_NOISE = frozenset({"h", "f", "x", "m", "hf", "fh"})  # "(H/F)", "F/H", "H/F/X"...


def _fold_table() -> dict[int, str]:
    """core.text.fold character by character, as a str.translate table (much faster on long descriptions)."""
    table = {}
    for codepoint in range(0x3000):
        char = chr(codepoint)
        folded = fold(char) if char not in "0123456789abcdefghijklmnopqrstuvwxyz" else char
        folded = folded or " "
        if folded != char:
            table[codepoint] = folded
    return table


_FOLD = _fold_table()


def fast_fold(text: str) -> str:
    return text.lower().translate(_FOLD)


def title_words(text: str) -> list[str]:
    """Word unigrams and bigrams of a folded title, gender marks ("H/F") and one-letter words dropped."""
    words = [word for word in text.split() if len(word) > 1 and word not in _TITLE_NOISE]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def title_chars(text: str) -> list[str]:
    """Character n-grams inside word boundaries, words padded with a space (as scikit-learn's char_wb)."""
    grams = []
    low, high = CHAR_NGRAMS
    for word in text.split():
        if len(word) < 2 or word in _TITLE_NOISE:
            continue
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def description_words(text: str) -> list[str]:
    return text.split()


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


@dataclass(slots=True)
class RomeCoder:
    codes: list[str]  # ROME 4.0 codes, grouped by family
    labels: dict[str, str]
    parents: dict[str, str]
    family_starts: np.ndarray  # index in `codes` where each family starts
    title_words: TfidfVectorizer
    title_chars: TfidfVectorizer
    description_words: TfidfVectorizer
    centroids: sp.csr_matrix  # features x codes (transposed: the product with a feature row is cheap)
    neighbours: sp.csr_matrix  # features x coded examples
    neighbour_codes: np.ndarray  # index in `codes` of each coded example
    idf: np.ndarray  # the three vectorizers' idf, end to end
    appellation_vectors: sp.csr_matrix  # features x appellations and fiche labels, grouped by fiche
    appellation_starts: np.ndarray  # index of each fiche's first appellation
    word_features: int  # the title words block comes first in the feature space
    family_prior: np.ndarray  # per family: log(1 + coded examples), scaled to [0, 1]
    temperature: float = 0.05
    # Isotonic map of the best family's softmax probability to its out-of-fold accuracy (x ascending).
    calibration_x: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))
    calibration_y: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))
    threshold: float = 0.8  # auto-coding threshold on the confidence
    info: dict = field(default_factory=dict)

    # -- features -------------------------------------------------------------------------------------------
    def vectorize(self, titles: Sequence[str], descriptions: Sequence[str]) -> sp.csr_matrix:
        """Folded texts -> one L2-normalised TF-IDF row per text: title words, title characters and description
        words are normalised block by block, the two title blocks share the title's half."""
        blocks = (
            (self.title_words, title_words, titles),
            (self.title_chars, title_chars, titles),
            (self.description_words, description_words, descriptions),
        )
        columns, rows, block_ids = [], [], []
        offset = 0
        for block, (vectorizer, analyzer, texts) in enumerate(blocks):
            vocabulary = vectorizer.vocabulary_
            for row, text in enumerate(texts):
                ids = [offset + i for i in map(vocabulary.get, analyzer(text)) if i is not None]
                columns.extend(ids)
                rows.extend([row] * len(ids))
            block_ids.append(np.full(len(vocabulary), block, dtype=np.int8))
            offset += len(vocabulary)
        count = len(titles)
        matrix = sp.csr_matrix(
            (
                np.ones(len(columns), dtype=np.float32),
                (np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)),
            ),
            shape=(count, offset),
        )
        matrix.sum_duplicates()
        matrix.data = (np.log(matrix.data) + 1) * self.idf[matrix.indices]
        row_of = np.repeat(np.arange(count), np.diff(matrix.indptr))
        block_of = np.concatenate(block_ids)[matrix.indices]
        squares = np.bincount(row_of * 3 + block_of, weights=matrix.data**2, minlength=count * 3).reshape(
            count, 3
        )
        present = squares > 0
        # Block norms to 1, each title block to 1/sqrt(title blocks present), then the row to 1.
        scale = np.zeros_like(squares)
        scale[present] = 1 / np.sqrt(squares[present])
        title_blocks = present[:, :2].sum(axis=1, keepdims=True)
        scale[:, :2] /= np.sqrt(np.maximum(title_blocks, 1))
        row_norm = np.sqrt((title_blocks > 0).ravel().astype(np.float64) + present[:, 2])
        scale /= np.maximum(row_norm, 1e-12)[:, None]
        matrix.data = (matrix.data * scale[row_of, block_of]).astype(np.float32)
        return matrix

    def appellation_scores(self, features: sp.csr_matrix) -> np.ndarray:
        """Rows x fiches: cosine of the title's words to the fiche's closest appellation (or label)."""
        words = features[:, : self.word_features]
        norms = np.sqrt(np.asarray(words.multiply(words).sum(axis=1))).ravel()
        similarity = (words @ self.appellation_vectors).toarray()
        similarity /= np.maximum(norms, 1e-12)[:, None]
        return np.maximum.reduceat(similarity, self.appellation_starts, axis=1)

    def fiche_scores(self, features: sp.csr_matrix) -> np.ndarray:
        """Rows x fiches: centroid cosine + votes of the nearest coded examples."""
        scores = (features @ self.centroids).toarray()
        if APPELLATION_WEIGHT:
            scores += APPELLATION_WEIGHT * self.appellation_scores(features)
        count = self.neighbours.shape[1]
        if count == 0:
            return scores
        k = min(NEIGHBOURS, count)
        rows = np.arange(features.shape[0])[:, None]
        similarity = (features @ self.neighbours).toarray()
        nearest = (
            np.argpartition(-similarity, k - 1, axis=1)[:, :k]
            if k < count
            else np.tile(np.arange(count), (len(rows), 1))
        )
        votes = np.zeros_like(scores)
        weights = similarity[rows, nearest] ** NEIGHBOUR_POWER
        np.add.at(votes, (np.repeat(rows, k, axis=1), self.neighbour_codes[nearest]), weights)
        scores += NEIGHBOUR_WEIGHT * votes
        return scores

    def family_scores(self, scores: np.ndarray) -> np.ndarray:
        """Rows x families: the best fiche's score, plus the family's prior among the coded offers."""
        return (
            np.maximum.reduceat(scores, self.family_starts, axis=1) + FAMILY_PRIOR_WEIGHT * self.family_prior
        )

    def family_probabilities(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities rows x families, best fiche index of each family)."""
        family_scores = self.family_scores(scores)
        logits = (family_scores - family_scores.max(axis=1, keepdims=True)) / self.temperature
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        return probabilities, family_scores

    # -- inference -------------------------------------------------------------------------------------------
    def classify_texts(self, titles: Sequence[str], descriptions: Sequence[str], top_k: int = 5):
        results = []
        for start in range(0, len(titles), CHUNK):
            features = self.vectorize(titles[start : start + CHUNK], descriptions[start : start + CHUNK])
            results.extend(self._candidates(self.fiche_scores(features), top_k))
        return results

    def classify(self, items: Iterable[dict], top_k: int = 5) -> list[list[tuple[str, float]]]:
        """For each item (`title`, `description`, optional `skills`, `appellation`): [(ROME 4.0 code, score)],
        best first, one code per ROME family; the first score is the calibrated probability that its family is
        right, the others share the rest."""
        titles, descriptions = [], []
        for item in items:
            title, description = item_texts(item)
            titles.append(title)
            descriptions.append(description)
        return self.classify_texts(titles, descriptions, top_k)

    def _candidates(self, scores: np.ndarray, top_k: int) -> list[list[tuple[str, float]]]:
        probabilities, _ = self.family_probabilities(scores)
        top_k = min(top_k, probabilities.shape[1])
        families = np.argpartition(-probabilities, top_k - 1, axis=1)[:, :top_k]
        rows = np.arange(len(probabilities))[:, None]
        families = families[rows, np.argsort(-probabilities[rows, families], axis=1, kind="stable")]
        ranked = probabilities[rows, families]
        # The best family's probability becomes its calibrated accuracy; the others share the rest in proportion.
        best = np.interp(ranked[:, 0], self.calibration_x, self.calibration_y)
        rest = (1 - best) / np.maximum(1 - ranked[:, 0], 1e-9)
        confidences = np.minimum.accumulate(np.column_stack([best, ranked[:, 1:] * rest[:, None]]), axis=1)
        ends = np.append(self.family_starts[1:], len(self.codes))
        results = []
        for row, row_families in enumerate(families):
            candidates = []
            for family, confidence in zip(row_families, confidences[row], strict=True):
                start, end = self.family_starts[family], ends[family]
                best_fiche = start + int(np.argmax(scores[row, start:end]))
                candidates.append((self.codes[best_fiche], round(float(confidence), 4)))
            results.append(candidates)
        return results

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
        payload = pickle.load(handle)
    if not isinstance(payload, dict) or payload.get("version") != MODEL_VERSION:
        raise ValueError(
            f"{path}: not a ROME coder model of version {MODEL_VERSION}; rebuild it (train-model)"
        )
    return payload["model"]


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


def _family_prior(family_starts: np.ndarray, example_codes: np.ndarray, code_count: int) -> np.ndarray:
    family_of = np.searchsorted(family_starts, np.arange(code_count), side="right") - 1
    counts = np.log1p(np.bincount(family_of[example_codes], minlength=len(family_starts)).astype(float))
    return counts / counts.max() if counts.max() > 0 else counts


def _fit(
    referential: RomeReferential, examples: list[dict], *, temperature: float, threshold: float, info: dict
):
    codes = sorted(referential.labels, key=lambda code: (referential.parent(code), code))
    code_index = {code: i for i, code in enumerate(codes)}
    families = [referential.parent(code) for code in codes]
    family_starts = np.array([i for i, family in enumerate(families) if i == 0 or family != families[i - 1]])

    ref_titles, ref_descriptions, ref_codes = _referential_documents(referential)
    example_texts = [item_texts(example) for example in examples]
    titles = ref_titles + [title for title, _ in example_texts]
    descriptions = ref_descriptions + [description for _, description in example_texts]
    labels = np.array(
        [code_index[code] for code in ref_codes + [e["rome_code"] for e in examples]], dtype=np.int32
    )

    words = _vectorizer(title_words).fit(titles)
    chars = _vectorizer(title_chars).fit(titles)
    description = _vectorizer(description_words, min_df=2, max_df=DESCRIPTION_MAX_DF).fit(descriptions)
    coder = RomeCoder(
        codes=codes,
        labels=dict(referential.labels),
        parents=dict(referential.parents),
        family_starts=family_starts,
        title_words=words,
        title_chars=chars,
        description_words=description,
        idf=np.concatenate([words.idf_, chars.idf_, description.idf_]).astype(np.float32),
        appellation_vectors=sp.csr_matrix((0, 0)),
        appellation_starts=np.zeros(0, dtype=np.int64),
        word_features=len(words.vocabulary_),
        centroids=sp.csr_matrix((0, 0)),
        neighbours=sp.csr_matrix((0, 0)),
        neighbour_codes=labels[len(ref_codes) :],
        family_prior=_family_prior(family_starts, labels[len(ref_codes) :], len(codes)),
        temperature=temperature,
        threshold=threshold,
        info=info,
    )
    features = coder.vectorize(titles, descriptions)
    membership = sp.csr_matrix(
        (np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
        shape=(len(codes), len(labels)),
    )
    coder.centroids = normalize(membership @ features).astype(np.float32).T.tocsr()
    coder.neighbours = features[len(ref_codes) :].T.tocsr()
    # Appellations and fiche labels (title-only documents), grouped by fiche for the per-fiche maximum.
    title_only = [i for i, description in enumerate(ref_descriptions) if not description] + [
        len(referential.appellations) + i for i in range(len(referential.labels))
    ]
    title_only = sorted(set(title_only), key=lambda i: (labels[i], i))
    title_vectors = coder.vectorize([ref_titles[i] for i in title_only], [""] * len(title_only))
    coder.appellation_vectors = (
        normalize(title_vectors[:, : coder.word_features]).astype(np.float32).T.tocsr()
    )
    title_labels = labels[title_only]
    coder.appellation_starts = np.searchsorted(title_labels, np.arange(len(codes)))
    return coder


def _calibrate(referential: RomeReferential, examples: list[dict], seed: int):
    """Temperature and auto-coding threshold from out-of-fold predictions on the coded examples.

    Folds keep each title + employer group on one side (the same job re-posted must not be its own neighbour).
    """
    groups = [example["group"] for example in examples]
    if len(examples) < MIN_CALIBRATION_EXAMPLES or len(set(groups)) < CALIBRATION_FOLDS:
        identity = (np.array([0.0, 1.0]), np.array([0.0, 1.0]))
        return 0.05, 0.8, identity, {"calibration": "default (too few coded examples)"}
    # Shuffle the groups with the seed so the folds do not follow the file order.
    rng = np.random.default_rng(seed)
    unique_groups = sorted(set(groups))
    group_rank = dict(zip(unique_groups, rng.permutation(len(unique_groups)), strict=True))
    group_ids = np.array([group_rank[group] for group in groups])
    family_scores, truths = [], []
    for train_index, test_index in GroupKFold(CALIBRATION_FOLDS).split(examples, groups=group_ids):
        coder = _fit(referential, [examples[i] for i in train_index], temperature=1.0, threshold=1.0, info={})
        titles, descriptions = zip(*(item_texts(examples[i]) for i in test_index), strict=True)
        scores = coder.fiche_scores(coder.vectorize(list(titles), list(descriptions)))
        family_scores.append(coder.family_scores(scores))
        family_of = np.searchsorted(coder.family_starts, np.arange(len(coder.codes)), side="right") - 1
        code_index = {code: i for i, code in enumerate(coder.codes)}
        truths.append(np.array([family_of[code_index[examples[i]["rome_code"]]] for i in test_index]))
    family_scores = np.vstack(family_scores)
    truth = np.concatenate(truths)
    shifted = family_scores - family_scores.max(axis=1, keepdims=True)
    best_temperature, best_loss = 0.05, np.inf
    for temperature in np.geomspace(0.005, 0.5, 61):
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
