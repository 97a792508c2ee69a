"""The small declarative evaluator: conditions that need no computation (age, status, territory, licence,
project), stored as JSON in `Aid.declarative_conditions`, evaluated on the cohort's arrays.

    {"type": "age", "operator": ">=", "value": 18}
    {"type": "statuses", "values": ["job_seeker", "apprentice"]}
    {"type": "needs", "values": ["job_start"]}
    {"type": "driving_licence", "value": false}
    {"type": "manual", "text": "…"}      a condition no data can check: always "to verify with the institution"

Territory conditions come from the aid's own territory fields (regions, départements, EPCI, communes).
Each condition gives a state per person: 1 passes, 0 fails, -1 unknown.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

import numpy as np

from aids.engine.cohort import Cohort
from aids.engine.rules import Field
from aids.situations import STATUS_LABELS, Status

OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}
OPERATOR_WORDS = {">=": "au moins", ">": "plus de", "<=": "au plus", "<": "moins de", "==": "exactement"}
NEED_WORDS = {
    "interview": "un entretien d'embauche",
    "training": "une formation",
    "job_start": "une reprise d'emploi",
}
SUPPORTED = {"age", "statuses", "needs", "driving_licence", "manual"}


@dataclass
class Evaluated:
    label: str
    state: np.ndarray  # int8: 1 / 0 / -1
    fields: tuple[Field, ...]


def _state(passes: np.ndarray, known: np.ndarray) -> np.ndarray:
    return np.where(known, passes.astype(np.int8), np.int8(-1)).astype(np.int8)


def territory_condition(aid, cohort: Cohort) -> Evaluated | None:
    if aid.is_national:
        return None
    c = cohort.columns
    inside = (
        np.isin(c["region"], aid.region_codes)
        | np.isin(c["departement"], aid.departement_codes)
        | np.isin(c["epci"], aid.epci_codes)
        | np.isin(c["commune"], aid.commune_codes)
    )
    return Evaluated(
        f"habiter sur le territoire de l'aide ({territory_label(aid)})",
        _state(inside, cohort.known["person.residence_commune"]),
        (Field("person.residence_commune"),),
    )


def territory_label(aid) -> str:
    return _territory_label(
        tuple(aid.region_codes), tuple(aid.departement_codes), tuple(aid.epci_codes), tuple(aid.commune_codes)
    )


@functools.lru_cache(maxsize=512)
def _territory_label(regions, departements, epcis, communes) -> str:
    from territories.models import Commune, Departement, Epci, Region

    parts = [r.name for r in Region.objects.filter(pk__in=regions)] or list(regions)
    parts += [str(d) for d in Departement.objects.filter(pk__in=departements)] or list(departements)
    parts += [e.name for e in Epci.objects.filter(pk__in=epcis)] or list(epcis)
    if len(communes) > 5:
        return ", ".join([*parts, f"{len(communes)} communes"])
    parts += [str(c) for c in Commune.objects.filter(pk__in=communes)] or list(communes)
    return ", ".join(parts) if parts else "France entière"


def evaluate(condition: dict, cohort: Cohort) -> Evaluated:
    c, k = cohort.columns, cohort.known
    kind = condition.get("type")
    if kind == "age":
        op = condition["operator"]
        passes = OPERATORS[op](np.nan_to_num(c["age"], nan=-1), condition["value"])
        label = f"avoir {OPERATOR_WORDS[op]} {condition['value']} ans"
        return Evaluated(label, _state(passes, k["person.birth_date"]), (Field("person.birth_date"),))
    if kind == "statuses":
        values = condition["values"]
        labels = ", ".join(STATUS_LABELS[Status(v)].lower() for v in values)
        return Evaluated(
            f"être dans l'une de ces situations : {labels}",
            _state(np.isin(c["status"], values), k["person.status"]),
            (Field("person.status"),),
        )
    if kind == "needs":
        values = condition["values"]
        label = "un projet : " + " ou ".join(NEED_WORDS[v] for v in values)
        return Evaluated(label, _state(np.isin(c["need"], values), k["need.kind"]), (Field("need.kind"),))
    if kind == "driving_licence":
        wanted = bool(condition["value"])
        label = "avoir le permis B" if wanted else "ne pas avoir le permis B"
        return Evaluated(
            label,
            _state(c["licence"] == int(wanted), k["person.driving_licence"]),
            (Field("person.driving_licence"),),
        )
    # "manual": a fact no situation field gives; the person checks it with the institution.
    return Evaluated(
        condition.get("text", "condition à vérifier auprès de l'organisme"),
        np.full(cohort.size, -1, dtype=np.int8),
        (),
    )
