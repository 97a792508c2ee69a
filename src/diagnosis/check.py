"""Check our composite against the official classes of the 2021 file (docs/tension-method.md reports the result).

The 2021 file gives, per ROME v3 × basin, the inputs we can reuse (offers, job seekers) and the official class
`ind_tension_d`. We compute the composite from those inputs with the method of `diagnosis.tension` and measure
Spearman's rank correlation with the official class, over all cells and within each basin."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from diagnosis import tension

MIN_CELLS_PER_BASIN = 10


@dataclass
class CheckResult:
    overall: float | None
    pairs: int
    per_basin: dict[str, tuple[float | None, int]]

    def basin_median(self, prefix: str = "") -> float | None:
        values = [
            rho for code, (rho, _n) in self.per_basin.items() if code.startswith(prefix) and rho is not None
        ]
        return median(values) if values else None


def check_against_official(
    rows: list[dict], *, difficulty: dict[tuple[str, str], float] | None = None
) -> CheckResult:
    """`rows`: dicts with rome_code, bassin_code, offers, job_seekers, tension_class. `difficulty`, optional:
    share of difficult hiring projects by (rome, basin), to add the BMO component."""
    ratios = [tension.log_ratio(r["offers"], r["job_seekers"]) for r in rows]
    difficulties = [(difficulty or {}).get((r["rome_code"], r["bassin_code"])) for r in rows]
    scores = tension.composite_scores(ratios, difficulties)
    official = [r["tension_class"] for r in rows]
    overall, pairs = tension.spearman(scores, official)
    by_basin: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_basin[row["bassin_code"]].append(index)
    per_basin = {}
    for basin, indexes in sorted(by_basin.items()):
        if len(indexes) < MIN_CELLS_PER_BASIN:
            continue
        per_basin[basin] = tension.spearman([scores[i] for i in indexes], [official[i] for i in indexes])
    return CheckResult(overall=overall, pairs=pairs, per_basin=per_basin)
