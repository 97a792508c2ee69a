"""The output of the eligibility engine: one `AidResult` per aid of the catalogue.

STABLE CONTRACT:

    AidResult(
        aid_id: str,                 Aid.id
        label: str,
        institution: str,
        status: "eligible" | "not_eligible" | "undetermined",
        amount: float | None,        estimated amount in euros for the need described: 0 when not eligible,
                                     None when undetermined or for a service in kind (a car lent at 1 € a day)
        amount_max: float | None,    the aid's ceiling (Aid.amount_max), when it has one
        periodicity: str,            Aid.periodicity (one_off, per_trip, monthly, yearly, per_day, other)
        reasons: list[str],          conditions passed and failed, in French, one sentence each
        missing: list[Question],     for "undetermined": the questions whose answers would decide it
        alternatives: list[str],     ids of the other eligible or undetermined aids it cannot be combined with
    )
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
UNDETERMINED = "undetermined"
STATUS_LABELS = {ELIGIBLE: "Éligible", NOT_ELIGIBLE: "Non éligible", UNDETERMINED: "À préciser"}


@dataclass(frozen=True)
class Question:
    field: str  # dotted path in the situation: "person.birth_date", "need.place_commune"
    question: str  # in French, as asked to the person

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class AidResult:
    aid_id: str
    label: str
    institution: str
    status: str
    amount: float | None = None
    amount_max: float | None = None
    periodicity: str = ""
    reasons: list[str] = field(default_factory=list)
    missing: list[Question] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        """The JSON shape of the CLI and the API."""
        return {
            "id": self.aid_id,
            "label": self.label,
            "institution": self.institution,
            "status": self.status,
            "amount": self.amount,
            "amount_max": self.amount_max,
            "periodicity": self.periodicity,
            "reasons": list(self.reasons),
            "missing": [q.field for q in self.missing],
            "questions": [q.as_dict() for q in self.missing],
            "alternatives": list(self.alternatives),
        }
