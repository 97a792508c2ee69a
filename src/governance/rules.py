"""The committees' rules as plain functions: co-presidency per level, size limits, quorum, majority with the State
co-chair's casting vote. Legal references in docs/governance.md."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from governance.models import Capacity, Level, Member

# Who may co-chair at each level: (capacities allowed for the State co-chair, for the local-authority co-chair,
# how many authority co-chairs at most (None: no limit; 0: none allowed)).
CHAIR_RULES: dict[str, tuple[set[str], set[str], int | None]] = {
    # L5311-9: the Comité national pour l'emploi is chaired by the minister in charge of employment.
    Level.NATIONAL: ({Capacity.MINISTER}, set(), 0),
    # L5311-10: préfet de région + président du conseil régional.
    Level.REGIONAL: ({Capacity.REGIONAL_PREFECT}, {Capacity.REGIONAL_PRESIDENT}, 1),
    # L5311-10: préfet de département + président du conseil départemental.
    Level.DEPARTMENTAL: ({Capacity.DEPARTMENT_PREFECT}, {Capacity.DEPARTMENT_PRESIDENT}, 1),
    # L5311-10 and décret 2024-560: préfet de département (or the sub-prefect he names) + one or more representatives
    # of local authorities he designates.
    Level.LOCAL: ({Capacity.DEPARTMENT_PREFECT, Capacity.SUB_PREFECT}, {Capacity.DESIGNATED_AUTHORITY}, None),
}
NEEDS_DESIGNATION = {Capacity.SUB_PREFECT, Capacity.DESIGNATED_AUTHORITY}
LEVEL_LABELS = {
    Level.NATIONAL: "le comité national",
    Level.REGIONAL: "un comité régional",
    Level.DEPARTMENTAL: "un comité départemental",
    Level.LOCAL: "un comité local",
}


def _labels(capacities: set[str]) -> str:
    return " ou ".join(sorted(Capacity(c).label.lower() for c in capacities))


def chair_errors(member: Member, *, level: str, other_chairs: list[Member]) -> list[str]:
    """Why `member` cannot hold its chair in a committee of `level`, given the committee's other current chairs."""
    if not member.chair:
        return []
    state_caps, authority_caps, authority_max = CHAIR_RULES[level]
    where = LEVEL_LABELS[level]
    errors = []
    if member.chair == Member.Chair.STATE:
        if member.capacity not in state_caps:
            errors.append(f"La coprésidence de l'État dans {where} revient au {_labels(state_caps)}.")
        if any(c.chair == Member.Chair.STATE for c in other_chairs):
            errors.append("Le comité a déjà un coprésident pour l'État.")
    else:
        if authority_max == 0:
            errors.append("Le comité national n'a pas de coprésident pour les collectivités.")
        else:
            if member.capacity not in authority_caps:
                errors.append(
                    f"La coprésidence des collectivités dans {where} revient au {_labels(authority_caps)}."
                )
            if (
                authority_max is not None
                and sum(c.chair == Member.Chair.AUTHORITY for c in other_chairs) >= authority_max
            ):
                errors.append("Le comité a déjà son coprésident pour les collectivités.")
    if member.capacity in NEEDS_DESIGNATION and not member.designation_reference.strip():
        errors.append("Indiquez l'acte par lequel le préfet de département a désigné ce coprésident.")
    if member.seat != Member.Seat.TITULAR:
        errors.append("Un coprésident siège comme titulaire.")
    return errors


def co_presidency_problems(level: str, chairs: list[Member]) -> list[str]:
    """What the committee's current chairs lack or have wrong; [] when the co-presidency is complete."""
    state_caps, authority_caps, authority_max = CHAIR_RULES[level]
    problems = []
    state = [c for c in chairs if c.chair == Member.Chair.STATE]
    authority = [c for c in chairs if c.chair == Member.Chair.AUTHORITY]
    if not state:
        problems.append(f"Il manque le coprésident pour l'État ({_labels(state_caps)}).")
    for chair in state:
        if chair.capacity not in state_caps:
            problems.append(f"{chair} n'a pas la qualité requise ({_labels(state_caps)}).")
    if authority_max != 0:
        if not authority:
            problems.append(f"Il manque le coprésident pour les collectivités ({_labels(authority_caps)}).")
        for chair in authority:
            if chair.capacity not in authority_caps:
                problems.append(f"{chair} n'a pas la qualité requise ({_labels(authority_caps)}).")
    return problems


@dataclass
class Quorum:
    voting_seats: int
    present: int  # seats held in person (titular or substitute sitting)
    represented: int  # seats whose titular gave a proxy to a member who sits
    counted_seats: set[int] = field(default_factory=set)

    @property
    def counted(self) -> int:
        return self.present + self.represented

    @property
    def required(self) -> int:
        # "La moitié au moins" of the voting members: exactly half is enough.
        return math.ceil(self.voting_seats / 2)

    @property
    def reached(self) -> bool:
        return self.voting_seats > 0 and self.counted >= self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.counted, 0)


@dataclass
class Tally:
    votes_for: int
    votes_against: int
    abstentions: int
    adopted: bool
    casting_vote_used: bool
    explanation: str


def tally(choices: dict[int, str], *, state_chair_seat: int | None) -> Tally:
    """Majority of the votes cast (abstentions are not cast, R5311-41); on a tie the State co-chair's vote decides."""
    votes_for = sum(c == "for" for c in choices.values())
    votes_against = sum(c == "against" for c in choices.values())
    abstentions = sum(c == "abstain" for c in choices.values())
    if votes_for > votes_against:
        return Tally(
            votes_for,
            votes_against,
            abstentions,
            True,
            False,
            "Adoptée à la majorité des suffrages exprimés.",
        )
    if votes_against > votes_for:
        return Tally(
            votes_for,
            votes_against,
            abstentions,
            False,
            False,
            "Rejetée à la majorité des suffrages exprimés.",
        )
    if votes_for == 0:
        return Tally(0, 0, abstentions, False, False, "Non adoptée : aucun suffrage exprimé.")
    state_choice = choices.get(state_chair_seat) if state_chair_seat is not None else None
    if state_choice == "for":
        return Tally(
            votes_for,
            votes_against,
            abstentions,
            True,
            True,
            "Partage égal des voix : adoptée par la voix prépondérante du coprésident représentant l'État.",
        )
    if state_choice == "against":
        return Tally(
            votes_for,
            votes_against,
            abstentions,
            False,
            True,
            "Partage égal des voix : rejetée par la voix prépondérante du coprésident représentant l'État.",
        )
    return Tally(
        votes_for,
        votes_against,
        abstentions,
        False,
        False,
        "Partage égal des voix sans suffrage exprimé du coprésident représentant l'État : non adoptée.",
    )
