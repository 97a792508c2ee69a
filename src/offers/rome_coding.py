"""The import pipeline's side of ROME coding: asks the model of `offers.coding` for predictions in batch, then
applies the rule of the pool:

- the source's own code is kept (origin "source"), with the model's confidence in it, and flagged when the
  model strongly disagrees (another ROME v3 family with a confidence ≥ DISAGREEMENT_CONFIDENCE);
- else the model's best code (origin "model"); below the model's auto-coding threshold the publication goes to
  the review list, where an advisor picks the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DISAGREEMENT_CONFIDENCE = 0.8
DEFAULT_THRESHOLD = 0.5


@dataclass(slots=True)
class Prediction:
    rome_code: str
    confidence: float
    candidates: list[dict] = field(default_factory=list)  # [{"rome_code", "score"}], best first


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
    from offers.coding import service

    return service


def threshold() -> float:
    try:
        return float(getattr(_coder(), "AUTO_THRESHOLD", DEFAULT_THRESHOLD))
    except ImportError:
        return DEFAULT_THRESHOLD


def predict(offers: list, *, top: int = 10) -> list[Prediction | None]:
    """The model's prediction for each CanonicalOffer (None for all when no model can be loaded or built)."""
    try:
        coder = _coder()
    except ImportError:
        return [None] * len(offers)
    results = coder.predict_offers(offers, top=top)
    return [
        Prediction(
            r.rome_code, float(r.confidence), [{"rome_code": c, "score": float(s)} for c, s in r.candidates]
        )
        for r in results
    ]


def decide(
    *, source_code: str, prediction: Prediction | None, fiches: dict[str, tuple[str, str]]
) -> Decision:
    """`fiches`: ROME 4.0 code -> (label, ROME v3 parent code), to compare codes at the parent level (sources
    still send ROME v3 codes)."""

    def parent(code: str) -> str:
        return fiches[code][1] if code in fiches else code

    candidates = prediction.candidates if prediction else []
    if source_code:
        confidence = None
        disagreement = False
        if prediction:
            confidence = sum(c["score"] for c in candidates if parent(c["rome_code"]) == parent(source_code))
            confidence = round(min(confidence, 1.0), 4)
            disagreement = (
                parent(prediction.rome_code) != parent(source_code)
                and prediction.confidence >= DISAGREEMENT_CONFIDENCE
            )
        return Decision(source_code, confidence, "source", disagreement, False, candidates)
    if prediction is None:
        return Decision("", None, "", False, True, [], "Aucun code ROME fourni et modèle indisponible")
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
