"""ROME 4.0 coding of job offers: text classifier with a calibrated confidence (docs/offers-coding.md).

Public API (all pure Python, no database needed):

- `train(data_dir, extra_examples=(), seed=0, *, offer_examples=None) -> RomeCoder`
  Train from the ROME 4.0 referential of `data_dir` (DATA_DIR; reads `rome4/*.csv`), the coded France Travail
  offers of `data_dir/offers/francetravail_offers_dev.jsonl` (or `offer_examples`), and `extra_examples`: dicts
  `{"title", "description", "rome_code"}` such as the advisors' choices of the review list, or coded offers
  from the database. Same seed + data -> same predictions.
- `train_and_save(path, data_dir, extra_examples=(), seed=0) -> RomeCoder` and `load_or_build(path, data_dir)`
  (loads the model file, builds and saves it when absent or of another model version). `default_model_path()` is
  `VAR_DIR/models/rome_coder.pkl` (git-ignored).
- `get_coder()`: the process-wide coder (`load_or_build(default_model_path(), settings.DATA_DIR)`, cached);
  `reset_coder()` drops the cache after a retraining.
- `classify(items, top_k=5, coder=None) -> list[list[(rome_code, score)]]`: items are dicts with `title`,
  `description` and optionally `skills` (list of labels) and `appellation` (label). Candidates are best first,
  one ROME 4.0 code per ROME family (v3 parent); the first score is the calibrated probability that its family
  is right (out-of-fold isotonic calibration), the others share the rest (non-increasing).
  Vectorised: pass whole batches. `classify_one(item)` is the single-offer path.
- `classify_parallel(items, top_k=5, coder=None, workers=None)`: the same results, the batch spread over worker
  processes forked from the caller (default: one per usable CPU; batches under 500 offers per worker stay in
  the calling process). For big batches: the import pipeline and `classify_records` (the `offers classify`
  command).
- `is_confident(candidates, coder=None) -> bool`: the best score reaches the auto-coding threshold
  (`coder.threshold`, chosen at training so out-of-fold auto-coded offers are right >= 95% of the time);
  below it, the offer goes to the review list.
- `strongly_disagrees(source_code, candidates, coder=None) -> bool`: the source's own code is kept, but flagged
  when the model is confident about another family and gives the source's family no candidate place.
- `classify_records(records, top_k=5, coder=None) -> list[dict]`: the `reseau-emploi offers classify` output,
  one dict per input record (France Travail API JSON offer or `{"id", "title", "description"}`):
  `{"id", "rome_code", "candidates": [{"rome_code", "score"}, ...]}` (>= 5 candidates, best first). A record
  without any text gets `{"id", "rome_code": None, "candidates": [], "error": "..."}`. Big batches go through
  `classify_parallel` (`workers=1` keeps them in the calling process).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from .model import RomeCoder, load, train
from .parallel import classify_parallel as _classify_parallel
from .records import classify_records

__all__ = [
    "RomeCoder",
    "classify",
    "classify_one",
    "classify_parallel",
    "classify_records",
    "default_model_path",
    "get_coder",
    "is_confident",
    "load",
    "load_or_build",
    "reset_coder",
    "strongly_disagrees",
    "train",
    "train_and_save",
]

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_coder: RomeCoder | None = None


def train_and_save(
    path: Path | str, data_dir: Path | str, extra_examples: Iterable[dict] = (), seed: int = 0
) -> RomeCoder:
    coder = train(data_dir, extra_examples=extra_examples, seed=seed)
    coder.save(path)
    return coder


def load_or_build(path: Path | str, data_dir: Path | str) -> RomeCoder:
    """The model file, built (and saved) when absent or written by another version of this code."""
    path = Path(path)
    if path.exists():
        try:
            return load(path)
        except ValueError as exc:
            logger.warning("%s; rebuilding it", exc)
    return train_and_save(path, data_dir)


def default_model_path() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "models" / "rome_coder.pkl"


def get_coder() -> RomeCoder:
    global _coder
    with _lock:
        if _coder is None:
            from django.conf import settings

            _coder = load_or_build(default_model_path(), settings.DATA_DIR)
        return _coder


def reset_coder() -> None:
    global _coder
    with _lock:
        _coder = None


def classify(
    items: Iterable[dict], top_k: int = 5, coder: RomeCoder | None = None
) -> list[list[tuple[str, float]]]:
    return (coder or get_coder()).classify(items, top_k=top_k)


def classify_parallel(
    items: Iterable[dict], top_k: int = 5, coder: RomeCoder | None = None, workers: int | None = None
) -> list[list[tuple[str, float]]]:
    return _classify_parallel(coder or get_coder(), items, top_k=top_k, workers=workers)


def classify_one(item: dict, top_k: int = 5, coder: RomeCoder | None = None) -> list[tuple[str, float]]:
    return (coder or get_coder()).classify([item], top_k=top_k)[0]


def is_confident(candidates: list[tuple[str, float]], coder: RomeCoder | None = None) -> bool:
    return bool(candidates) and candidates[0][1] >= (coder or get_coder()).threshold


def strongly_disagrees(
    source_code: str, candidates: list[tuple[str, float]], coder: RomeCoder | None = None
) -> bool:
    coder = coder or get_coder()
    if not source_code or not candidates or source_code not in coder.labels:
        return False
    source_family = coder.family(source_code)
    return candidates[0][1] >= coder.threshold and all(
        coder.family(code) != source_family for code, _ in candidates
    )
