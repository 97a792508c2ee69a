"""Evaluate situations against the catalogue of aids.

STABLE CONTRACT (the job seekers' workflow calls these):

    evaluate(*, situation: Situation, aids: list[Aid] | None = None) -> list[AidResult]
        every published aid in force on the evaluation date (or `aids`), eligible first
    evaluate_many(*, situations: list[Situation], aids: list[Aid] | None = None) -> list[list[AidResult]]
        a whole cohort in one vectorised OpenFisca simulation, results in the same order

`Situation` is in `aids.situations`, `AidResult` in `aids.results`. The OpenFisca tax-benefit system is loaded
once per process.
"""

from __future__ import annotations

from aids.models import Aid
from aids.results import AidResult
from aids.situations import Situation


def evaluate(*, situation: Situation, aids: list[Aid] | None = None) -> list[AidResult]:
    return evaluate_many(situations=[situation], aids=aids)[0]


def evaluate_many(*, situations: list[Situation], aids: list[Aid] | None = None) -> list[list[AidResult]]:
    from aids.engine import evaluate_cohort
    from aids.selectors import catalogue_for_engine

    return evaluate_cohort(situations, catalogue_for_engine() if aids is None else aids)
