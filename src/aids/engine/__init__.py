"""The eligibility engine: one answer per (situation, aid), whatever computes it.

OpenFisca (OpenFisca-France + `openfisca_reseau_emploi`) computes the aids whose `rule_kind` is "openfisca", in
ONE vectorised simulation per evaluation day for the whole cohort; `aids.engine.declarative` checks the simple
conditions of the other aids on the same column arrays. Both give, per aid, a state per condition
(passes / fails / unknown) from which the status, reasons and missing questions follow; amounts come from
OpenFisca (or the aid's ceiling for declarative aids).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from aids.engine import declarative
from aids.engine.cohort import Cohort, build_cohort
from aids.engine.rules import RULES, Rule
from aids.questions import QUESTIONS
from aids.results import ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED, AidResult, Question
from aids.situations import Situation

STATUS_CODES = {0: NOT_ELIGIBLE, 1: UNDETERMINED, 2: ELIGIBLE}


@dataclass
class AidColumns:
    """The engine's answer for one aid over a cohort, as arrays."""

    aid: object
    status: np.ndarray  # int8: 0 not eligible, 1 undetermined, 2 eligible
    amount: np.ndarray  # float, nan where unknown
    conditions: list[declarative.Evaluated]
    notes: list[str]  # reasons added to every eligible result (amount caveats)


def _in_force(aid, day) -> bool:
    return (aid.valid_from is None or aid.valid_from <= day) and (
        aid.valid_until is None or day <= aid.valid_until
    )


def _openfisca_conditions(rule: Rule, simulation, first: np.ndarray, cohort: Cohort):
    out = []
    for condition in rule.conditions:
        passes = simulation.calculate(condition.variable, cohort.month)[first]
        unknown = np.zeros(cohort.size, dtype=bool)
        for field in condition.fields:
            unknown |= field.missing(cohort)
        state = np.where(unknown, np.int8(-1), passes.astype(np.int8)).astype(np.int8)
        out.append(declarative.Evaluated(condition.label, state, condition.fields))
    return out


def evaluate_columns(cohort: Cohort, aids: list) -> list[AidColumns]:
    """Every aid for the whole cohort (situations of one evaluation day), as arrays."""
    openfisca_aids = [a for a in aids if a.rule_kind == "openfisca" and a.openfisca_variable]
    simulation = first = None
    if openfisca_aids:
        from aids.engine.simulation import build_simulation

        simulation, first = build_simulation(cohort)
    columns = []
    for aid in aids:
        conditions = []
        if (territory := declarative.territory_condition(aid, cohort)) is not None:
            conditions.append(territory)
        amount = np.full(cohort.size, np.nan)
        notes = []
        computed = None
        if aid in openfisca_aids:
            rule = RULES.get(aid.openfisca_variable) or Rule(aid.openfisca_variable, ())
            conditions += _openfisca_conditions(rule, simulation, first, cohort)
            computed = simulation.calculate(rule.variable, cohort.month)[first]
            if not rule.in_kind:
                amount = computed.astype(float)
            if rule.variable == "reseau_emploi_aide_garde_enfants_france_travail":
                hours_missing = ~cohort.known["need.weekly_hours"]
                notes = ["hours"] if hours_missing.any() else []
        else:
            conditions += [declarative.evaluate(c, cohort) for c in aid.declarative_conditions]
            if aid.amount_max is not None:
                amount = np.full(cohort.size, float(aid.amount_max))
        states = np.stack([c.state for c in conditions]) if conditions else np.ones((1, cohort.size), np.int8)
        status = np.where((states == 0).any(axis=0), 0, np.where((states == -1).any(axis=0), 1, 2)).astype(
            np.int8
        )
        if computed is not None:
            # The rule's own result has the last word: a condition not listed may still fail.
            status = np.where((status == 2) & ~(computed > 0), 0, status).astype(np.int8)
        amount = np.where(status == 0, 0.0, np.where(status == 2, amount, np.nan))
        columns.append(AidColumns(aid, status, amount, conditions, notes))
    return columns


def _reasons_and_missing(column: AidColumns, index: int, cohort: Cohort):
    reasons, missing, seen = [], [], set()
    computed_failure = column.status[index] == 0
    for condition in column.conditions:
        state = condition.state[index]
        if state == 1:
            reasons.append(f"Condition remplie : {condition.label}.")
        elif state == 0:
            computed_failure = False
            reasons.append(f"Condition non remplie : {condition.label}.")
        else:
            reasons.append(f"À préciser : {condition.label}.")
            for field in condition.fields:
                if field.name not in seen and field.missing(cohort)[index]:
                    seen.add(field.name)
                    missing.append(Question(field.name, QUESTIONS[field.name]))
            if not condition.fields:
                reasons[-1] = f"À vérifier auprès de l'organisme : {condition.label}."
    if computed_failure:
        reasons.append(
            "Condition non remplie : le calcul de l'aide n'ouvre pas de droit dans cette situation."
        )
    if column.status[index] == 2 and "hours" in column.notes and not cohort.known["need.weekly_hours"][index]:
        reasons.append("Montant calculé pour moins de 15 heures par semaine : précisez vos horaires.")
    return reasons, missing


def results_for(columns: list[AidColumns], index: int, cohort: Cohort) -> list[AidResult]:
    """The AidResults of one situation, eligible first, with the non-cumulable aids as alternatives."""
    results = []
    open_ids = {col.aid.id for col in columns if col.status[index] > 0}
    conflicts = defaultdict(set)
    for col in columns:
        for other in col.aid.non_cumulable_with:
            conflicts[col.aid.id].add(other)
            conflicts[other].add(col.aid.id)
    for col in columns:
        reasons, missing = _reasons_and_missing(col, index, cohort)
        value = col.amount[index]
        status = STATUS_CODES[int(col.status[index])]
        results.append(
            AidResult(
                aid_id=col.aid.id,
                label=col.aid.label,
                institution=col.aid.institution,
                status=status,
                amount=None if np.isnan(value) else round(float(value), 2),
                amount_max=None if col.aid.amount_max is None else float(col.aid.amount_max),
                periodicity=col.aid.periodicity,
                reasons=reasons,
                missing=missing if status == UNDETERMINED else [],
                alternatives=sorted(conflicts[col.aid.id] & open_ids) if status != NOT_ELIGIBLE else [],
            )
        )
    order = {ELIGIBLE: 0, UNDETERMINED: 1, NOT_ELIGIBLE: 2}
    results.sort(key=lambda r: (order[r.status], -(r.amount or 0), r.label))
    return results


def evaluate_cohort(situations: list[Situation], aids: list) -> list[list[AidResult]]:
    """Results for each situation, in order. Situations are grouped by evaluation day: one simulation each."""
    by_day = defaultdict(list)
    for index, situation in enumerate(situations):
        by_day[situation.on()].append(index)
    out: list[list[AidResult] | None] = [None] * len(situations)
    for day, indexes in by_day.items():
        in_force = [aid for aid in aids if _in_force(aid, day)]
        cohort = build_cohort([situations[i] for i in indexes], day)
        columns = evaluate_columns(cohort, in_force)
        for position, index in enumerate(indexes):
            out[index] = results_for(columns, position, cohort)
    return out
