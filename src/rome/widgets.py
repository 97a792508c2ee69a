"""Form widget and field to choose a ROME appellation, with or without JavaScript.

    from rome.widgets import AppellationField

    class ProfileForm(DsfrBaseForm):
        appellation = AppellationField(label="Métier recherché")

With JavaScript the autocomplete fills a hidden input with the chosen appellation's OGR code. Without it, the
typed text is resolved on the server by the appellation search: the best match when the search is confident,
otherwise a form error that lists the closest appellations so the person can type one of them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core.text import fold
from core.widgets import AutocompleteWidget
from rome.models import Appellation
from rome.search import search_appellations

# Below this score, or too close to the runner-up, a typed text is not resolved without asking.
CONFIDENT_SCORE = 0.6
CONFIDENT_MARGIN = 0.02


class AppellationAutocomplete(AutocompleteWidget):
    api_url = reverse_lazy("api:rome_appellations")
    item_value = "code_ogr"
    item_label = "label"
    item_hint = "rome_code"

    def label_for(self, value) -> str:
        if isinstance(value, Appellation):
            return value.label
        try:
            return Appellation.objects.filter(pk=int(value)).values_list("label", flat=True).first() or ""
        except (TypeError, ValueError):
            return ""


def resolve_text(text: str) -> tuple[Appellation | None, list]:
    """The appellation a typed text designates, or None with the closest matches to suggest."""
    folded = fold(text)
    exact = list(Appellation.objects.filter(label__iexact=text.strip())) if folded else []
    if len(exact) == 1:
        return exact[0], []
    matches = search_appellations(text, limit=5)
    if matches:
        top = matches[0]
        exact_label = fold(top.entry.label) == folded or fold(top.entry.short_label) == folded
        margin = top.score - (matches[1].score if len(matches) > 1 else 0.0)
        if exact_label or (top.score >= CONFIDENT_SCORE and margin >= CONFIDENT_MARGIN):
            return Appellation.objects.select_related("fiche").filter(pk=top.entry.code_ogr).first(), matches
    return None, matches


class AppellationField(forms.ModelChoiceField):
    widget = AppellationAutocomplete
    default_error_messages = {
        "invalid_choice": "Cette appellation n'existe pas dans le ROME.",
        "not_found": "Aucun métier du ROME ne correspond à « %(text)s ».",
        "ambiguous": "« %(text)s » est ambigu : précisez, par exemple %(suggestions)s.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Appellation.objects.select_related("fiche"))
        kwargs.setdefault("help_text", "Tapez quelques lettres puis choisissez un métier dans la liste.")
        super().__init__(**kwargs)

    def clean(self, value):
        if value in self.empty_values:
            text = self.widget.typed_text().strip() if hasattr(self.widget, "typed_text") else ""
            if text:
                return self.resolve(text)
        return super().clean(value)

    def resolve(self, text: str) -> Appellation:
        appellation, matches = resolve_text(text)
        if appellation is not None:
            return appellation
        if not matches:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params={"text": text})
        suggestions = ", ".join(f"« {m.entry.label} » ({m.entry.rome_code})" for m in matches[:3])
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "suggestions": suggestions},
        )
