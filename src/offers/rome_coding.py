"""The import pipeline's side of ROME coding: asks the model of `offers.coding` for predictions in batch, then
applies the rule of the pool:

- the source's own code is kept (origin "source"), with the model's confidence in its family, and flagged
  when the model strongly disagrees (sure of another family — at least its auto-coding threshold and
  DISAGREEMENT_CONFIDENCE — and giving the source's family no place among its candidates);
- else the model's best code (origin "model"); below the model's auto-coding threshold the publication goes to
  the review list, where an advisor picks the code.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from core.pickling import pickled_by_fields

DISAGREEMENT_CONFIDENCE = 0.8


@dataclass(slots=True)
class Prediction:
    rome_code: str
    confidence: float
    candidates: list[dict] = field(default_factory=list)  # [{"rome_code", "score"}], best first


@pickled_by_fields
@dataclass(slots=True)
class Decision:
    rome_code: str
    confidence: float | None
    origin: str
    disagreement: bool = False
    needs_review: bool = False
    candidates: list[dict] = field(default_factory=list)
    reason: str = ""


def _coder():
    """The process-wide model of offers.coding (built from DATA_DIR and saved on first use)."""
    from offers import coding

    return coding.get_coder()


def load() -> None:
    """Load the model now, before forking the process that prepares batches (it then shares it). A model that
    cannot be loaded is not an error here: `predict` fails on it and the import notes it."""
    with contextlib.suppress(Exception):  # reported by predict, batch by batch
        _coder()


def threshold() -> float:
    return float(_coder().threshold)


def _item(offer) -> dict:
    return {
        "title": offer.title,
        "description": offer.description,
        "skills": list(offer.skills),
        "appellation": offer.appellation_label,
    }


def predict(offers: list, *, top: int = 10) -> list[Prediction | None]:
    """The model's prediction for each CanonicalOffer, in one vectorised call."""
    if not offers:
        return []
    coder = _coder()
    results = coder.classify([_item(offer) for offer in offers], top_k=top)
    return [
        Prediction(
            ranked[0][0], float(ranked[0][1]), [{"rome_code": c, "score": float(s)} for c, s in ranked]
        )
        if ranked
        else None
        for ranked in results
    ]


def decide(
    *, source_code: str, prediction: Prediction | None, fiches: dict[str, tuple[str, str]]
) -> Decision:
    """`fiches`: ROME 4.0 code -> (label, ROME v3 parent code), to compare codes at the family level (sources
    still send ROME v3 codes, which are the parent fiches of ROME 4.0 families)."""

    def family(code: str) -> str:
        return fiches[code][1] if code in fiches else code

    candidates = prediction.candidates if prediction else []
    if source_code:
        if prediction is None:
            return Decision(source_code, None, "source")
        same_family = [c["score"] for c in candidates if family(c["rome_code"]) == family(source_code)]
        # Flagged when the model is sure of another family and gives the source's family no place at all.
        disagreement = (
            source_code in fiches
            and prediction.confidence >= max(threshold(), DISAGREEMENT_CONFIDENCE)
            and not same_family
        )
        return Decision(
            source_code, round(max(same_family, default=0.0), 4), "source", disagreement, False, candidates
        )
    if prediction is None:
        return Decision(
            "", None, "", False, True, [], "Aucun code ROME fourni et pas de proposition du modèle"
        )
    if prediction.confidence < threshold():
        return Decision(
            prediction.rome_code,
            prediction.confidence,
            "model",
            False,
            True,
            candidates,
            f"Confiance du modèle {prediction.confidence:.0%} sous le seuil de {threshold():.0%}",
        )
    return Decision(prediction.rome_code, prediction.confidence, "model", False, False, candidates)
