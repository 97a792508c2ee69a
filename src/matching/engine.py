"""Vectorised matching between people and offers (numpy arrays in memory, no query per candidate).

score = 0.40 occupation + 0.15 skills + 0.10 contract + 0.05 working time + 0.10 experience + 0.15 reach
        + 0.05 freshness, each component in [0, 1]; each result explains its score in words.

Offers for a person: the occupation fit over every fiche is computed once (occupations.OccupationGraph), then
only the offers in a fitting occupation are scored; reach uses one `TravelModel.times_from` per mode of the person.
People for an offer: the reverse fit over wanted fiches, and travel times from the offer's commune to every
person's residence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matching.occupations import RELATION_CODES, RELATION_WORDS, OccupationGraph, sentence
from reach.travel import MODE_LABELS, Mode, TravelModel

WEIGHTS = {
    "occupation": 0.40,
    "skills": 0.15,
    "contract": 0.10,
    "working_time": 0.05,
    "experience": 0.10,
    "reach": 0.15,
    "freshness": 0.05,
}
FRESHNESS_DAYS = 30.0
CONTRACTS = ["CDI", "CDD", "INTERIM", "SAISONNIER", "ALTERNANCE", "LIBERAL", "FRANCHISE", "STAGE", "AUTRE"]
WORKING_TIMES = ["", "FULL_TIME", "PART_TIME"]


@dataclass
class OfferIndex:
    ids: np.ndarray  # int64
    fiches: np.ndarray  # fiche index, -1 unknown
    communes: np.ndarray  # TravelModel index, -1 unknown
    contracts: np.ndarray  # index into CONTRACTS, -1 unknown
    working_times: np.ndarray  # index into WORKING_TIMES
    experience_months: np.ndarray  # float, nan unknown
    published_days: np.ndarray  # days since the epoch, nan unknown
    _by_fiche: tuple[np.ndarray, np.ndarray] | None = field(default=None, init=False, repr=False)

    def __len__(self):
        return len(self.ids)

    def positions_for(self, fiches: np.ndarray) -> np.ndarray:
        """Positions of the offers whose fiche is one of `fiches` (an inverted index built on first use)."""
        if self._by_fiche is None:
            order = np.argsort(self.fiches, kind="stable")
            self._by_fiche = (order, self.fiches[order])
        order, sorted_fiches = self._by_fiche
        starts = np.searchsorted(sorted_fiches, fiches, side="left")
        ends = np.searchsorted(sorted_fiches, fiches, side="right")
        if not len(fiches):
            return np.empty(0, dtype=np.int64)
        return np.sort(np.concatenate([order[a:b] for a, b in zip(starts, ends, strict=True)]))


@dataclass
class Profile:
    """What matching needs of a person."""

    residence: str  # commune INSEE code
    wanted_fiches: list[str]
    skills: frozenset[int] = frozenset()
    experience_months: float = 0.0
    contracts: frozenset[str] = frozenset()  # empty: any
    working_time: str = ""  # "", FULL_TIME, PART_TIME
    modes: frozenset[Mode] = frozenset({Mode.WALK})
    max_minutes: float = 45.0
    has_licence: bool = False
    has_car: bool = False


@dataclass
class Match:
    offer_id: int
    score: float
    components: dict[str, float]
    reachable: bool
    best_mode: Mode | None
    minutes: float | None
    car_minutes: float | None
    reasons: list[str] = field(default_factory=list)
    levers: list[str] = field(default_factory=list)  # what would make an unreachable offer reachable


def _freshness(published_days: np.ndarray, today: float) -> np.ndarray:
    age = np.where(np.isnan(published_days), FRESHNESS_DAYS * 2, today - published_days)
    return np.exp(-np.clip(age, 0, None) / FRESHNESS_DAYS)


def _experience_fit(required: np.ndarray, person_months: float) -> np.ndarray:
    required = np.where(np.isnan(required), 0.0, required)
    return np.where(required <= 0, 1.0, np.minimum(1.0, person_months / np.maximum(required, 1e-9)))


def _skills_fit(graph: OccupationGraph, fiches: np.ndarray, skills: frozenset[int]) -> np.ndarray:
    if not skills:
        return np.full(len(fiches), 0.5)  # unknown skills: neutral
    per_fiche = {}
    for fiche in np.unique(fiches):
        wanted = graph.core_skills[fiche] if fiche >= 0 else frozenset()
        per_fiche[fiche] = len(wanted & skills) / len(wanted) if wanted else 0.5
    return np.array([per_fiche[f] for f in fiches])


def _levers(profile: Profile, car_minutes: float) -> list[str]:
    if car_minutes <= profile.max_minutes and Mode.CAR not in profile.modes:
        if not profile.has_licence:
            return ["permis B et véhicule", "location de véhicule à tarif réduit en attendant le permis"]
        if not profile.has_car:
            return ["véhicule (achat, location ou prêt)"]
        return ["utiliser la voiture pour ce trajet"]
    return ["déménagement plus près de l'emploi", "temps de trajet accepté plus long"]


def rank_offers(
    *,
    profile: Profile,
    offers: OfferIndex,
    graph: OccupationGraph,
    travel: TravelModel,
    today: float,
    limit: int = 20,
    include_unreachable: bool = False,
    candidate_mask: np.ndarray | None = None,
) -> list[Match]:
    """The best `limit` offers for a person. `candidate_mask` lets callers apply the search filters first."""
    wanted = [graph.index[code] for code in profile.wanted_fiches if code in graph.index]
    if not wanted or profile.residence not in travel:
        return []
    fit, relation = graph.fit_from(wanted)
    candidates = offers.positions_for(np.flatnonzero(fit > 0))
    if candidate_mask is not None:
        candidates = candidates[candidate_mask[candidates]]
    # Travel times are computed once per commune; offers whose commune is out of reach are dropped before any
    # other work, which keeps queries proportional to what the person can actually reach.
    own_modes = sorted(profile.modes)
    commune_times = {mode: travel.times_from(profile.residence, mode) for mode in set(own_modes) | {Mode.CAR}}
    stacked = np.vstack([commune_times[mode] for mode in own_modes])
    commune_best, commune_best_mode = stacked.min(axis=0), stacked.argmin(axis=0)
    communes = offers.communes[candidates]
    if not include_unreachable:
        in_reach = communes >= 0
        in_reach[in_reach] = commune_best[communes[in_reach]] <= profile.max_minutes
        candidates, communes = candidates[in_reach], communes[in_reach]
    if candidates.size == 0:
        return []
    occupation = fit[offers.fiches[candidates]]
    located = communes >= 0
    where = np.where(located, communes, 0)
    best_minutes = np.where(located, commune_best[where], np.inf)
    best_mode_index = commune_best_mode[where]
    car_minutes = np.where(located, commune_times[Mode.CAR][where], np.inf)
    reachable = best_minutes <= profile.max_minutes
    reach = np.where(reachable, 1.0 - 0.5 * best_minutes / profile.max_minutes, 0.0)

    fiches = offers.fiches[candidates]
    contract_index = offers.contracts[candidates]
    accepted = {CONTRACTS.index(c) for c in profile.contracts if c in CONTRACTS}
    contract = np.where(
        (contract_index < 0) | (not accepted), 1.0, np.isin(contract_index, list(accepted)) * 1.0
    )
    working = offers.working_times[candidates]
    wanted_time = WORKING_TIMES.index(profile.working_time) if profile.working_time in WORKING_TIMES else 0
    working_fit = np.where((working == 0) | (wanted_time == 0), 1.0, (working == wanted_time) * 1.0)
    components = {
        "occupation": occupation,
        "skills": _skills_fit(graph, fiches, profile.skills),
        "contract": contract,
        "working_time": working_fit,
        "experience": _experience_fit(offers.experience_months[candidates], profile.experience_months),
        "reach": reach,
        "freshness": _freshness(offers.published_days[candidates], today),
    }
    score = sum(WEIGHTS[name] * values for name, values in components.items())
    order = np.argsort(-score, kind="stable")[:limit] if len(score) <= limit * 4 else None
    if order is None:
        top = np.argpartition(-score, limit)[:limit]
        order = top[np.argsort(-score[top], kind="stable")]

    matches = []
    for position in order:
        offer_fiche = int(fiches[position])
        values = {name: float(component[position]) for name, component in components.items()}
        mode = own_modes[int(best_mode_index[position])] if reachable[position] else None
        minutes = float(best_minutes[position]) if np.isfinite(best_minutes[position]) else None
        car = float(car_minutes[position]) if np.isfinite(car_minutes[position]) else None
        match = Match(
            offer_id=int(offers.ids[candidates[position]]),
            score=round(float(score[position]), 4),
            components=values,
            reachable=bool(reachable[position]),
            best_mode=mode,
            minutes=None if minutes is None else round(minutes, 1),
            car_minutes=None if car is None else round(car, 1),
        )
        match.reasons = explain(
            values,
            relation=RELATION_CODES.get(int(relation[offer_fiche]), ""),
            mode=mode,
            minutes=minutes,
            profile=profile,
        )
        if not match.reachable and car is not None:
            match.levers = _levers(profile, car)
        matches.append(match)
    return matches


def explain(
    values: dict[str, float], *, relation: str, mode: Mode | None, minutes: float | None, profile: Profile
) -> list[str]:
    reasons = []
    if relation:
        reasons.append(sentence(RELATION_WORDS[relation]))
    if values["skills"] >= 0.5 and profile.skills:
        reasons.append(f"{round(values['skills'] * 100)} % des compétences clés du métier sont déjà acquises")
    elif profile.skills:
        reasons.append(
            f"seulement {round(values['skills'] * 100)} % des compétences clés du métier sont acquises"
        )
    if values["contract"] < 1:
        reasons.append("type de contrat non souhaité")
    if values["working_time"] < 1:
        reasons.append("temps de travail différent de celui souhaité")
    if values["experience"] < 1:
        reasons.append("expérience demandée supérieure à celle de la personne")
    if mode is not None and minutes is not None:
        reasons.append(
            f"accessible en {round(minutes)} min ({MODE_LABELS[mode]}), pour {round(profile.max_minutes)} min acceptées"
        )
    elif minutes is not None:
        reasons.append(
            f"hors de portée : {round(minutes)} min au mieux pour {round(profile.max_minutes)} min acceptées"
        )
    else:
        reasons.append("lieu de travail inconnu")
    if values["freshness"] >= 0.7:
        reasons.append("offre récente")
    return reasons


@dataclass
class PeopleIndex:
    ids: np.ndarray  # int64 record ids
    residences: np.ndarray  # TravelModel index
    mode_masks: np.ndarray  # bit i set when the person uses list(Mode)[i]
    max_minutes: np.ndarray
    wanted_offsets: np.ndarray  # CSR: wanted fiches of person p are wanted_fiches[offsets[p]:offsets[p+1]]
    wanted_fiches: np.ndarray
    contract_masks: np.ndarray  # bit i set when CONTRACTS[i] is accepted; 0 = any
    _by_fiche: tuple[np.ndarray, np.ndarray] | None = field(default=None, init=False, repr=False)

    def __len__(self):
        return len(self.ids)

    def wishes_for(self, fiches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(person positions, wanted fiche) of every wish for one of `fiches` (an inverted index built on first use)."""
        if self._by_fiche is None:
            owners = np.repeat(np.arange(len(self.ids)), np.diff(self.wanted_offsets))
            order = np.argsort(self.wanted_fiches, kind="stable")
            self._by_fiche = (self.wanted_fiches[order], owners[order])
        sorted_fiches, owners = self._by_fiche
        starts = np.searchsorted(sorted_fiches, fiches, side="left")
        ends = np.searchsorted(sorted_fiches, fiches, side="right")
        if not len(fiches):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        slices = [np.arange(a, b) for a, b in zip(starts, ends, strict=True)]
        entries = np.concatenate(slices)
        return owners[entries], sorted_fiches[entries]


def rank_people(
    *,
    offer_fiche: str,
    offer_commune: str,
    offer_contract: str,
    people: PeopleIndex,
    graph: OccupationGraph,
    travel: TravelModel,
    limit: int = 20,
    allowed: np.ndarray | None = None,
) -> list[dict]:
    """The people (of `allowed`, a boolean mask: those the advisor may see and who consented) who could take
    the offer, best first."""
    if offer_fiche not in graph.index or offer_commune not in travel or len(people) == 0:
        return []
    fit, relation = graph.fit_towards(graph.index[offer_fiche])
    persons, wished = people.wishes_for(np.flatnonzero(fit > 0))
    if allowed is not None:
        keep = allowed[persons]
        persons, wished = persons[keep], wished[keep]
    if persons.size == 0:
        return []
    # Each person's best wish: sort by person then by descending fit, keep the first of each person.
    values = fit[wished]
    order = np.lexsort((-values, persons))
    persons, wished, values = persons[order], wished[order], values[order]
    first = np.unique(persons, return_index=True)[1]
    candidates, closest, occupation = persons[first], wished[first], values[first]

    best = np.full(len(candidates), np.inf)
    best_mode = np.full(len(candidates), -1)
    residences = people.residences[candidates]
    masks = people.mode_masks[candidates]
    for bit, mode in enumerate(Mode):
        uses = (masks & (1 << bit)) > 0
        if not uses.any():
            continue
        times = travel.times_from(offer_commune, mode)[residences]
        better = uses & (times < best)
        best[better], best_mode[better] = times[better], bit
    limits = people.max_minutes[candidates]
    reachable = best <= limits
    candidates, closest, occupation, best, best_mode, limits = (
        candidates[reachable],
        closest[reachable],
        occupation[reachable],
        best[reachable],
        best_mode[reachable],
        limits[reachable],
    )
    if candidates.size == 0:
        return []
    contract_bit = CONTRACTS.index(offer_contract) if offer_contract in CONTRACTS else -1
    contract_masks = people.contract_masks[candidates]
    contract_ok = (
        (contract_masks == 0) | (contract_bit < 0) | ((contract_masks & (1 << max(contract_bit, 0))) > 0)
    )
    score = (
        WEIGHTS["occupation"] * occupation
        + WEIGHTS["contract"] * contract_ok
        + WEIGHTS["reach"] * (1.0 - 0.5 * best / limits)
    ) / (WEIGHTS["occupation"] + WEIGHTS["contract"] + WEIGHTS["reach"])
    modes = list(Mode)
    results = []
    for position in np.argsort(-score, kind="stable")[:limit]:
        mode = modes[int(best_mode[position])]
        minutes = float(best[position])
        wish = int(closest[position])
        reasons = [
            f"{sentence(RELATION_WORDS[RELATION_CODES[int(relation[wish])]])} : {graph.labels[wish]}",
            f"à {round(minutes)} min ({MODE_LABELS[mode]}), pour {round(float(limits[position]))} min acceptées",
        ]
        if not contract_ok[position]:
            reasons.append("type de contrat non souhaité")
        results.append(
            {
                "person_id": int(people.ids[candidates[position]]),
                "score": round(float(score[position]), 4),
                "minutes": round(minutes, 1),
                "mode": mode,
                "reasons": reasons,
            }
        )
    return results
