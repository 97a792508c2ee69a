"""How well a wanted occupation fits an offered one, from the ROME 4.0 structure.

| relation between the wanted fiche w and the offer's fiche f | fit |
|---|---|
| same fiche | 1.0 |
| same ROME v3 parent (the historical grouping of close jobs) | 0.85 |
| f is a mobility target of w, rank 1–5 ("proche") | 0.75 − 0.02 × (rank − 1) |
| f is a mobility target of w, rank 6+ ("envisageable") | 0.55 |
| same domaine professionnel | 0.35 |
| otherwise | 0 (not proposed) |

The ROME 4.0 export ranks each fiche's mobility targets (`numero_ordre`) but no longer labels them; we call the
first five, which every fiche has, "proches" and the others "envisageables".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SAME_FICHE, SAME_PARENT, SAME_DOMAINE = 1.0, 0.85, 0.35
CLOSE_MOBILITY, CLOSE_MOBILITY_STEP, FAR_MOBILITY, CLOSE_RANKS = 0.75, 0.02, 0.55, 5

RELATION_WORDS = {
    "same": "même métier que celui recherché",
    "parent": "métier voisin de celui recherché (même famille ROME)",
    "close": "passerelle proche depuis le métier recherché (mobilités du ROME)",
    "far": "passerelle envisageable depuis le métier recherché (mobilités du ROME)",
    "domaine": "même domaine professionnel que le métier recherché",
}


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class OccupationGraph:
    """The ROME fiches as integer indices, with what the fit needs."""

    codes: list[str]
    labels: list[str]
    parents: np.ndarray  # parent group index per fiche
    domaines: np.ndarray  # domaine index per fiche
    mobility: dict[int, list[tuple[int, int]]]  # fiche -> [(target fiche, rank)]
    core_skills: list[frozenset[int]]  # skill codes per fiche (cœur de métier first, else all)
    index: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.incoming: dict[int, list[tuple[int, int]]] = {}
        for source, targets in self.mobility.items():
            for target, rank in targets:
                self.incoming.setdefault(target, []).append((source, rank))

    def _fit(self, fiche: int, links: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        # Values are ordered same > parent > close > far > domaine, so the best value also names the relation.
        fit = np.where(self.domaines == self.domaines[fiche], SAME_DOMAINE, 0.0)
        relation = (fit > 0).astype(np.int8)
        for other, rank in links:
            value, code = (
                (CLOSE_MOBILITY - CLOSE_MOBILITY_STEP * (rank - 1), 3)
                if rank <= CLOSE_RANKS
                else (FAR_MOBILITY, 2)
            )
            if value > fit[other]:
                fit[other], relation[other] = value, code
        same_parent = self.parents == self.parents[fiche]
        fit[same_parent], relation[same_parent] = SAME_PARENT, 4
        fit[fiche], relation[fiche] = SAME_FICHE, 5
        return fit, relation

    def fit_from(self, wanted: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(fit, relation code) of every fiche as an offer for someone who wants the `wanted` fiches (the best
        over them). Relation codes: 0 none, 1 domaine, 2 far, 3 close, 4 parent, 5 same."""
        fit = np.zeros(len(self.codes))
        relation = np.zeros(len(self.codes), dtype=np.int8)
        for w in wanted:
            one_fit, one_relation = self._fit(w, self.mobility.get(w, []))
            better = one_fit > fit
            fit[better], relation[better] = one_fit[better], one_relation[better]
        return fit, relation

    def fit_towards(self, offered: int) -> tuple[np.ndarray, np.ndarray]:
        """(fit, relation code) of every wanted fiche towards one offered fiche (the reverse direction)."""
        return self._fit(offered, self.incoming.get(offered, []))


RELATION_CODES = {5: "same", 4: "parent", 3: "close", 2: "far", 1: "domaine"}
