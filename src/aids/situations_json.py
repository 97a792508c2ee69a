"""The JSON form of situations (docs/situations.md): parsing with errors that name the situation, the field and
the problem, and the JSON Schema published with the docs."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import get_type_hints

from aids.situations import Need, Person, Situation


@dataclass
class SituationError:
    index: int | None
    field: str
    message: str

    def __str__(self):
        where = f"situation {self.index}: " if self.index is not None else ""
        return f"{where}{self.field}: {self.message}"


def _parse_value(value, hint, path: str, errors: list, index):
    """Value of one field, converted to its type; records an error and returns None when impossible."""
    if value is None:
        return None
    args = [a for a in getattr(hint, "__args__", ()) if a is not type(None)]
    base = args[0] if args else hint
    try:
        if isinstance(base, type) and issubclass(base, StrEnum):
            if value not in base._value2member_map_:
                allowed = ", ".join(base._value2member_map_)
                raise ValueError(f"'{value}' is not one of: {allowed}")
            return base(value)
        if base is date:
            if not isinstance(value, str):
                raise ValueError("must be a date written YYYY-MM-DD")
            return date.fromisoformat(value)
        if base is bool:
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return value
        if base is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("must be a whole number, 0 or more")
            return value
        if base is float:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError("must be a number, 0 or more")
            return float(value)
        if base is str:
            if not isinstance(value, str | int):
                raise ValueError("must be a string")
            return str(value).strip() or None
        if getattr(base, "__origin__", None) is list:  # children_ages
            if not isinstance(value, list) or any(
                isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 30 for v in value
            ):
                raise ValueError("must be a list of ages in whole years (0 to 29)")
            return value
    except ValueError as exc:
        errors.append(
            SituationError(index, path, str(exc).replace("Invalid isoformat string", "invalid date"))
        )
        return None
    raise TypeError(f"unsupported type {hint}")


def _parse_part(data, cls, prefix: str, errors: list, index):
    if data is None:
        return cls()
    if not isinstance(data, dict):
        errors.append(SituationError(index, prefix, "must be an object"))
        return cls()
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    for name in data:
        if name not in known:
            errors.append(SituationError(index, f"{prefix}.{name}", "unknown field"))
    values = {
        name: _parse_value(data.get(name), hints[name], f"{prefix}.{name}", errors, index) for name in known
    }
    return cls(**values)


def parse_situation(data, *, index: int | None = None) -> tuple[Situation | None, list[SituationError]]:
    errors: list[SituationError] = []
    if not isinstance(data, dict):
        return None, [SituationError(index, "(situation)", "must be an object with 'person' and 'need'")]
    for name in data:
        if name not in ("person", "need", "evaluation_date", "received_last_12_months", "id"):
            errors.append(SituationError(index, name, "unknown field"))
    person = _parse_part(data.get("person"), Person, "person", errors, index)
    need = _parse_part(data.get("need"), Need, "need", errors, index)
    on = _parse_value(data.get("evaluation_date"), date | None, "evaluation_date", errors, index)
    received = data.get("received_last_12_months") or {}
    if not isinstance(received, dict) or any(
        not isinstance(v, int | float) or isinstance(v, bool) for v in received.values()
    ):
        errors.append(
            SituationError(index, "received_last_12_months", "must map aid ids to amounts in euros")
        )
        received = {}
    if person.job_seeker_category is not None and not 1 <= person.job_seeker_category <= 8:
        errors.append(SituationError(index, "person.job_seeker_category", "must be between 1 and 8"))
    if person.birth_date and person.birth_date > (on or date.today()):
        errors.append(SituationError(index, "person.birth_date", "is in the future"))
    if errors:
        return None, errors
    return Situation(person=person, need=need, evaluation_date=on, received_last_12_months=received), []


def parse_situations(data) -> tuple[list[Situation | None], list[SituationError]]:
    if not isinstance(data, list):
        return [], [SituationError(None, "(file)", "must hold a JSON list of situations")]
    situations, errors = [], []
    for index, item in enumerate(data):
        situation, item_errors = parse_situation(item, index=index)
        situations.append(situation)
        errors += item_errors
    return situations, errors
