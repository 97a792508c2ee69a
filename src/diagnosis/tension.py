"""The tension maths, on plain numbers (docs/tension-method.md explains every choice).

DARES and France Travail combine three components, each centred and reduced: offers / job seekers (30 %),
the exit rate of job seekers (20 %) and the share of hiring projects judged difficult (50 %). The exit rate is not
in any file we hold, so the composite uses the two others with their weights renormalised (0.3/0.8, 0.5/0.8),
or the one available when the other is missing or below the publication threshold."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.stats import spearmanr

PUBLICATION_THRESHOLD = 30  # offers, projects or job seekers below this are "non significatif"
WEIGHTS = {"ratio": 0.3, "exit_rate": 0.2, "difficulty": 0.5}
SMOOTHING = 0.5  # added to offers and job seekers before the log ratio, so zero counts stay finite


def significant(count: float | None) -> bool:
    return count is not None and count >= PUBLICATION_THRESHOLD


def offers_per_job_seeker(offers: float | None, job_seekers: float | None) -> float | None:
    """Published only when the job seekers (the denominator) reach the threshold."""
    if offers is None or not significant(job_seekers):
        return None
    return offers / job_seekers


def log_ratio(offers: float | None, job_seekers: float | None) -> float | None:
    """The ratio component: log((offers + ½) / (job seekers + ½)), when either volume reaches the threshold."""
    if offers is None or job_seekers is None:
        return None
    if not (significant(offers) or significant(job_seekers)):
        return None
    return math.log((offers + SMOOTHING) / (job_seekers + SMOOTHING))


def share(part: float | None, whole: float | None) -> float | None:
    """A share of hiring projects, published only when the projects reach the threshold."""
    if part is None or not significant(whole):
        return None
    return min(1.0, part / whole)


def zscores(values: Sequence[float | None]) -> list[float | None]:
    """Centre and reduce the known values (population standard deviation); unknown values stay unknown."""
    known = np.array([v for v in values if v is not None], dtype=float)
    if len(known) < 2 or known.std() == 0:
        return [0.0 if v is not None else None for v in values]
    mean, std = known.mean(), known.std()
    return [None if v is None else float((v - mean) / std) for v in values]


def composite(components: dict[str, float | None]) -> float | None:
    """Weighted mean of the available standardised components, weights renormalised to what is known."""
    known = {name: value for name, value in components.items() if value is not None}
    if not known:
        return None
    total = sum(WEIGHTS[name] for name in known)
    return sum(WEIGHTS[name] * value for name, value in known.items()) / total


def quintile_classes(scores: Sequence[float | None]) -> list[int | None]:
    """Class 1 (lowest fifth) to 5 (highest fifth) of the known scores, like the official classes."""
    known = np.array([s for s in scores if s is not None], dtype=float)
    if len(known) == 0:
        return [None] * len(scores)
    cuts = np.quantile(known, [0.2, 0.4, 0.6, 0.8])
    return [None if s is None else int(np.searchsorted(cuts, s, side="right")) + 1 for s in scores]


def composite_scores(
    ratios: Sequence[float | None], difficulties: Sequence[float | None]
) -> list[float | None]:
    """The composite for aligned lists of raw components (log ratios, shares of difficult projects)."""
    z_ratio, z_difficulty = zscores(ratios), zscores(difficulties)
    return [composite({"ratio": r, "difficulty": d}) for r, d in zip(z_ratio, z_difficulty, strict=True)]


def spearman(xs: Iterable[float | None], ys: Iterable[float | None]) -> tuple[float | None, int]:
    """Spearman's rank correlation over the pairs where both values are known, and the number of pairs."""
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None and y is not None]
    if len(pairs) < 3:
        return None, len(pairs)
    rho = spearmanr([p[0] for p in pairs], [p[1] for p in pairs]).statistic
    return (None if math.isnan(rho) else float(rho)), len(pairs)
