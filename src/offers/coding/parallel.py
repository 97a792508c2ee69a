"""Batch coding on several cores (`classify_parallel`).

The model is read-only: worker processes forked from the caller share its arrays copy-on-write, so nothing is
pickled but the folded texts going out and the candidates coming back. Each worker codes slices of the batch with
the single-process path (`RomeCoder.classify_texts`), so the results are the same, in the same order. Small
batches, one usable CPU, or a platform without `fork` take the single-process path directly.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from .model import RomeCoder, item_texts

MIN_ITEMS_PER_WORKER = 500  # below this, starting a process costs more than it saves
SLICES_PER_WORKER = 4  # several slices per worker even out uneven texts

_worker_coder: RomeCoder | None = None


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _adopt(coder: RomeCoder) -> None:
    global _worker_coder
    _worker_coder = coder


def _classify_slice(job: tuple[list[str], list[str], int]) -> list[list[tuple[str, float]]]:
    titles, descriptions, top_k = job
    return _worker_coder.classify_texts(titles, descriptions, top_k)


def classify_parallel(
    coder: RomeCoder, items: Iterable[dict], top_k: int = 5, workers: int | None = None
) -> list[list[tuple[str, float]]]:
    """`coder.classify(items, top_k)`, spread over `workers` processes (default: the usable CPUs)."""
    items = list(items)
    workers = min(workers or available_cpus(), len(items) // MIN_ITEMS_PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return coder.classify(items, top_k=top_k)
    texts = [item_texts(item) for item in items]
    titles = [title for title, _ in texts]
    descriptions = [description for _, description in texts]
    size = -(-len(texts) // (workers * SLICES_PER_WORKER))
    jobs = [
        (titles[start : start + size], descriptions[start : start + size], top_k)
        for start in range(0, len(texts), size)
    ]
    # fork: the workers inherit the model instead of unpickling a copy each.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt, initargs=(coder,)) as pool:
        return [candidates for part in pool.map(_classify_slice, jobs) for candidates in part]
