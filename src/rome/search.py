"""Appellation search: free text ("developpeur web", "Aide-soignant H/F", "devloppeur") -> ROME appellations.

The index lives in memory, one per process, built from the database on first use (13k appellations, about a
second) and rebuilt when the version stamp changes (a `sync_rome --write` that changed something, or a different
number of appellations). A query takes well under 10 ms.

Method (docs/rome.md):
1. normalisation: accents and punctuation folded, job-ad noise removed ("H/F", "CDI", "alternance", seniority
   words, numbers), inflections reduced by a light French stemmer (feminine and plural forms: "soignante",
   "infirmières" -> "soignant", "infirmier"), a few English job words translated ("developer" -> "développeur");
2. words the referential does not know are corrected to the nearest known word (typos); the last word of an
   autocomplete is completed as a prefix, preferring completions that go with the words typed before;
3. candidates come from a TF-IDF vector space over each appellation's label (words and word pairs); they are
   ranked by that similarity, the similarity of the query with the appellation's whole fiche (all its
   appellations, its ROME 4.0 and v3 labels, its definition), a fuzzy string ratio, and priors (the
   fiche's principal appellation first, rarely used titles last).
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from core.text import fold

# Words that say nothing about the occupation in job-ad titles (contract, seniority, gender marks, places).
NOISE_WORDS = frozenset(
    [
        "h",
        "f",
        "x",
        "hf",
        "fh",
        "hfx",
        "fhx",
        "homme",
        "femme",
        "cdi",
        "cdd",
        "cdic",
        "interim",
        "interimaire",
        "freelance",
        "independant",
        "alternance",
        "alternant",
        "alternante",
        "apprenti",
        "apprentie",
        "apprentissage",
        "pro",
        "professionnalisation",
        "stage",
        "stagiaire",
        "saisonnier",
        "saisonniere",
        "job",
        "poste",
        "postes",
        "offre",
        "urgent",
        "recrute",
        "recrutons",
        "recherchons",
        "nous",
        "vous",
        "temps",
        "plein",
        "partiel",
        "junior",
        "senior",
        "confirme",
        "confirmee",
        "experimente",
        "experimentee",
        "debutant",
        "debutante",
        "sr",
        "jr",
        "mois",
        "an",
        "ans",
        "annee",
        "heure",
        "heures",
        "semaine",
        "semaines",
        "h24",
        "cv",
    ]
)
STOP_WORDS = frozenset(
    [
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "en",
        "et",
        "a",
        "au",
        "aux",
        "pour",
        "par",
        "sur",
        "dans",
        "un",
        "une",
        "avec",
        "ou",
        "sous",
        "chez",
    ]
)
# Gender-inflection tails left by folding "Développeur(se)", "Technicien(ne)", "Caissier(ère)"
INFLECTION_TAILS = frozenset(
    [
        "e",
        "se",
        "ne",
        "re",
        "ve",
        "te",
        "le",
        "euse",
        "trice",
        "ice",
        "ere",
        "iere",
        "ive",
        "sse",
        "esse",
        "ienne",
        "enne",
        "onne",
    ]
)
ENGLISH = {
    "developer": "developpeur",
    "developers": "developpeur",
    "engineer": "ingenieur",
    "software": "logiciel",
    "technician": "technicien",
    "administrator": "administrateur",
    "nurse": "infirmier",
    "driver": "conducteur",
    "accountant": "comptable",
    "salesman": "commercial",
    "sales": "commercial",
    "cleaner": "nettoyage",
    "cook": "cuisinier",
    "waiter": "serveur",
    "teacher": "enseignant",
    "network": "reseau",
    "networks": "reseau",
    "security": "securite",
    "analyst": "analyste",
    "architect": "architecte",
    "fullstack": "full stack",
    "frontend": "front end",
    "backend": "back end",
}
_SUFFIXES = (
    ("trices", "teur"),
    ("trice", "teur"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("eresse", "eur"),
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("ennes", "en"),
    ("enne", "en"),
    ("onnes", "on"),
    ("onne", "on"),
    ("eres", "er"),
    ("ere", "er"),
    ("ives", "if"),
    ("ive", "if"),
    ("ettes", "et"),
    ("ette", "et"),
    ("elles", "el"),
    ("elle", "el"),
    ("eaux", "eau"),
    ("aux", "al"),
)
_NUMBER = re.compile(r"^\d+[a-z]{0,2}$")


def stem(word: str) -> str:
    """Reduce French feminine and plural forms to one stem: "soignantes" and "soignant" -> "soignant"."""
    if len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    if word.endswith(("s", "x")) and len(word) > 4:
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def words(text: str, *, noise: bool = False) -> list[str]:
    """Folded words of a text, without stop words and inflection tails (and job-ad noise when `noise`)."""
    out = []
    for word in fold(text).split():
        if word in STOP_WORDS or word in INFLECTION_TAILS or _NUMBER.match(word):
            continue
        if noise and word in NOISE_WORDS:
            continue
        out.append(word)
    return out


def features(stems: list[str]) -> list[str]:
    """Stems and adjacent stem pairs (pairs weigh word order: "chef cuisinier" vs "cuisinier chef")."""
    return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]


@dataclass(frozen=True)
class Entry:
    code_ogr: int
    label: str
    short_label: str
    rome_code: str
    rome_label: str
    parent_code: str
    is_principal: bool
    rarely_used: bool


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float

    def as_dict(self) -> dict:
        return {
            "code_ogr": self.entry.code_ogr,
            "label": self.entry.label,
            "rome_code": self.entry.rome_code,
            "rome_label": self.entry.rome_label,
            "score": round(self.score, 4),
        }


class _Space:
    """A TF-IDF space (sublinear tf, smoothed idf, L2-normalised rows) over lists of features."""

    def __init__(self, documents: list[list[str]], vocabulary: dict[str, int] | None = None):
        self.vocabulary = vocabulary if vocabulary is not None else {}
        if vocabulary is None:
            for document in documents:
                for feature in document:
                    self.vocabulary.setdefault(feature, len(self.vocabulary))
        rows, cols, values = [], [], []
        df = np.zeros(len(self.vocabulary))
        for i, document in enumerate(documents):
            counts = Counter(f for f in document if f in self.vocabulary)
            for feature, count in counts.items():
                j = self.vocabulary[feature]
                rows.append(i)
                cols.append(j)
                values.append(1.0 + math.log(count))
                df[j] += 1
        self.idf = np.log((1 + len(documents)) / (1 + df)) + 1.0
        matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(documents), len(self.vocabulary)))
        matrix = matrix.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.matrix = sparse.csr_matrix(matrix.multiply(1.0 / norms[:, None]))
        self.by_feature = self.matrix.tocsc()

    def query(self, weighted: dict[str, float]) -> np.ndarray:
        """Cosine similarity of every document with the query ({feature: weight})."""
        vector = {
            self.vocabulary[f]: w * self.idf[self.vocabulary[f]]
            for f, w in weighted.items()
            if f in self.vocabulary
        }
        scores = np.zeros(self.matrix.shape[0])
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        for j, value in vector.items():
            start, end = self.by_feature.indptr[j], self.by_feature.indptr[j + 1]
            scores[self.by_feature.indices[start:end]] += self.by_feature.data[start:end] * (value / norm)
        return scores


class AppellationIndex:
    CANDIDATES = 60
    COMPLETIONS = 5
    # Weights of the ranking (sum 1 before priors): label similarity, fiche similarity, fiche vote, fuzzy ratio.
    WEIGHTS = (0.5, 0.2, 0.15, 0.15)

    def __init__(self, entries: Iterable[Entry], fiche_texts: dict[str, str] | None = None):
        self.entries = sorted(entries, key=lambda e: e.code_ogr)
        fiche_texts = fiche_texts or {}
        self.folded = [" ".join(words(e.label)) for e in self.entries]
        label_stems = [[stem(w) for w in words(f"{e.label} {e.short_label}")] for e in self.entries]
        self.labels = _Space([features(list(dict.fromkeys(s))) for s in label_stems])
        # The fiche space: everything the referential says about a fiche, for evidence beyond one label.
        self.fiche_codes = sorted({e.rome_code for e in self.entries})
        fiche_row = {code: i for i, code in enumerate(self.fiche_codes)}
        fiche_docs: list[list[str]] = [[] for _ in self.fiche_codes]
        for e, stems in zip(self.entries, label_stems, strict=True):
            fiche_docs[fiche_row[e.rome_code]].extend(features(stems))
        for code, text in fiche_texts.items():
            if code in fiche_row:
                fiche_docs[fiche_row[code]].extend(stem(w) for w in words(text))
        self.fiches = _Space(fiche_docs, vocabulary=self.labels.vocabulary)
        self.fiche_of = np.array([fiche_row[e.rome_code] for e in self.entries])
        self.prior = np.array(
            [(0.04 if e.is_principal else 0.0) - (0.08 if e.rarely_used else 0.0) for e in self.entries]
        )
        # Known surface words, for typo correction and prefix completion.
        self.postings: dict[str, set[int]] = {}
        for i, e in enumerate(self.entries):
            for w in set(words(f"{e.label} {e.short_label}")):
                self.postings.setdefault(w, set()).add(i)
        self.word_counts = Counter({w: len(p) for w, p in self.postings.items()})
        self.known_words = sorted(self.word_counts)
        self.known_set = set(self.known_words)
        self._word_cache: dict[tuple, list[tuple[str, float]]] = {}

    def __len__(self):
        return len(self.entries)

    def _resolve_word(
        self, word: str, *, last: bool, context: tuple[str, ...] = ()
    ) -> list[tuple[str, float]]:
        """Known words a query word stands for, with a weight: itself, a completion or a typo correction.
        `context` (the query's other words) ranks the completions of an unfinished last word."""
        key = (word, last, context)
        if key in self._word_cache:
            return self._word_cache[key]
        resolved = [(word, 1.0)] if word in self.known_set else []
        if last and len(word) >= 2:
            # Autocomplete: the last word may be unfinished; add its most frequent completions ("develop" ->
            # "developpeur"), unless the word itself is the common one.
            start = bisect.bisect_left(self.known_words, word)
            completions = []
            for candidate in self.known_words[start:]:
                if not candidate.startswith(word):
                    break
                if candidate != word and self.word_counts[candidate] > self.word_counts.get(word, 0):
                    completions.append(candidate)
            # Completions found with the other words of the query first ("aide so" -> "soignant"), then the
            # most frequent ones.
            together = set.intersection(*(self.postings[w] for w in context)) if context else set()
            completions.sort(key=lambda c: (-len(together & self.postings[c]), -self.word_counts[c]))
            resolved += [(c, 0.9) for c in completions[: self.COMPLETIONS]]
        if not resolved and len(word) >= 4:  # a typo: the nearest known words
            cutoff = 80 if len(word) >= 6 else 75
            for candidate, score, _ in process.extract(
                word, self.known_words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
            ):
                resolved.append((candidate, 0.8 * score / 100))
        if len(self._word_cache) < 50_000:
            self._word_cache[key] = resolved
        return resolved

    def analyse(self, query: str, *, prefix: bool = True) -> tuple[dict[str, float], str]:
        raw = words(query, noise=True)
        expanded: list[str] = []
        for w in raw:
            expanded.extend(ENGLISH.get(w, w).split())
            if w in ENGLISH and w in self.known_set:
                expanded.append(w)
        weighted: dict[str, float] = {}
        resolved_words: list[str] = []
        for position, w in enumerate(expanded):
            last = prefix and position == len(expanded) - 1
            context = tuple(sorted({r for r in resolved_words if r in self.known_set})) if last else ()
            options = self._resolve_word(w, last=last, context=context)
            for known, weight in options:
                s = stem(known)
                weighted[s] = max(weighted.get(s, 0.0), weight)
            if options:
                resolved_words.append(options[0][0])
        stems = [stem(w) for w in resolved_words]
        for a, b in zip(stems, stems[1:], strict=False):
            weighted[f"{a}_{b}"] = 1.0
        return weighted, " ".join(resolved_words)

    def search(self, query: str, *, limit: int = 10, prefix: bool = True) -> list[Match]:
        weighted, normalised = self.analyse(query, prefix=prefix)
        if not weighted:
            return []
        label_scores = self.labels.query(weighted)
        fiche_scores = self.fiches.query(weighted)
        candidates = np.flatnonzero(label_scores > 0)
        if len(candidates) > self.CANDIDATES:
            candidates = candidates[
                np.argpartition(-label_scores[candidates], self.CANDIDATES)[: self.CANDIDATES]
            ]
        if not len(candidates):
            return []
        ratios = np.array([fuzz.token_set_ratio(normalised, self.folded[i]) / 100 for i in candidates])
        # How many appellations of each fiche match, and how well: the fiche the query most often designates.
        votes = np.bincount(self.fiche_of, weights=label_scores, minlength=len(self.fiche_codes))
        votes = np.log1p(votes) / np.log1p(votes.max())
        w_label, w_fiche, w_vote, w_ratio = self.WEIGHTS
        combined = (
            w_label * label_scores[candidates]
            + w_fiche * fiche_scores[self.fiche_of[candidates]]
            + w_vote * votes[self.fiche_of[candidates]]
            + w_ratio * ratios
            + self.prior[candidates]
        )
        order = np.argsort(-combined, kind="stable")[:limit]
        return [Match(self.entries[candidates[k]], float(max(0.0, min(1.0, combined[k])))) for k in order]


# --- the per-process index -------------------------------------------------------------------------------------

_lock = threading.Lock()
_index: AppellationIndex | None = None
_stamp: tuple | None = None


def _current_stamp() -> tuple:
    from django.db.models import Count, Max

    from rome.models import Appellation, RomeImport

    counts = Appellation.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (RomeImport.objects.aggregate(last=Max("pk"))["last"], counts["n"], counts["top"])


def build_from_db() -> AppellationIndex:
    from rome.models import Appellation, Fiche

    entries = [
        Entry(code, label, short, rome, rome_label, parent, principal, rare)
        for code, label, short, rome, rome_label, parent, principal, rare in Appellation.objects.values_list(
            "code_ogr",
            "label",
            "short_label",
            "fiche_id",
            "fiche__label",
            "fiche__parent_code",
            "is_principal",
            "rarely_used",
        )
    ]
    texts = {
        code: f"{label} {parent_label} {definition}"
        for code, label, parent_label, definition in Fiche.objects.values_list(
            "code", "label", "parent_label", "definition"
        )
    }
    return AppellationIndex(entries, texts)


def build_from_referential(ref) -> AppellationIndex:
    """The same index from `rome.sources.read_referential(...)` (benchmarks, without a database)."""
    entries = [
        Entry(
            code,
            a["label"],
            a["short_label"],
            a["fiche_id"],
            ref.fiches[a["fiche_id"]]["label"],
            ref.fiches[a["fiche_id"]]["parent_code"],
            a["is_principal"],
            a["rarely_used"],
        )
        for code, a in ref.appellations.items()
    ]
    texts = {code: f"{f['label']} {f['parent_label']} {f['definition']}" for code, f in ref.fiches.items()}
    return AppellationIndex(entries, texts)


def get_index() -> AppellationIndex:
    global _index, _stamp
    stamp = _current_stamp()
    if _index is None or stamp != _stamp:
        with _lock:
            if _index is None or stamp != _stamp:
                _index, _stamp = build_from_db(), stamp
    return _index


def invalidate() -> None:
    """Forget this process's index (other processes notice the new version stamp)."""
    global _index, _stamp
    with _lock:
        _index, _stamp = None, None


def search_appellations(query: str, *, limit: int = 10) -> list[Match]:
    return get_index().search(query, limit=limit)


def best_match(query: str, *, min_score: float = 0.5) -> Match | None:
    """The first result when the search is confident enough to pick it without asking."""
    results = search_appellations(query, limit=2)
    if results and results[0].score >= min_score:
        return results[0]
    return None
