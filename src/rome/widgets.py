"""Form widget and field to choose a ROME appellation, with or without JavaScript.

    from rome.widgets import AppellationField

    class ProfileForm(DsfrBaseForm):
        appellation = AppellationField(label="Métier recherché")

`AppellationMultipleField(slots=3)` offers several such boxes (e.g. the occupations a person looks for).

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
        return resolve_or_raise(text, self.error_messages)


def resolve_or_raise(text: str, messages: dict) -> Appellation:
    appellation, matches = resolve_text(text)
    if appellation is not None:
        return appellation
    if not matches:
        raise ValidationError(messages["not_found"], code="not_found", params={"text": text})
    suggestions = ", ".join(f"« {m.entry.label} » ({m.entry.rome_code})" for m in matches[:3])
    raise ValidationError(
        messages["ambiguous"], code="ambiguous", params={"text": text, "suggestions": suggestions}
    )


class AppellationMultipleAutocomplete(forms.MultiWidget):
    """`slots` appellation autocompletes side by side; the first is labelled by the field, the others here."""

    template_name = "rome/widgets/appellation_multiple.html"

    def __init__(self, slots: int = 3, attrs=None):
        super().__init__([AppellationAutocomplete() for _ in range(slots)], attrs)

    def decompress(self, value):
        values = [v.pk if isinstance(v, Appellation) else v for v in (value or [])]
        return (values + [None] * len(self.widgets))[: len(self.widgets)]

    def get_context(self, name, value, attrs):
        return super().get_context(name, self.decompress(value), attrs)

    def value_from_datadict(self, data, files, name):
        return [w.value_from_datadict(data, files, f"{name}_{i}") for i, w in enumerate(self.widgets)]

    def value_omitted_from_data(self, data, files, name):
        return all(
            f"{name}_{i}" not in data and f"{name}_{i}_text" not in data for i in range(len(self.widgets))
        )

    def typed_texts(self) -> list[str]:
        return [w.typed_text().strip() for w in self.widgets]


class AppellationMultipleField(forms.ModelMultipleChoiceField):
    """Several appellations, each chosen in the autocomplete or typed; cleans to a list, in the order given."""

    default_error_messages = {
        **AppellationField.default_error_messages,
        "required": "Indiquez au moins un métier.",
    }

    def __init__(self, *, slots: int = 3, **kwargs):
        kwargs.setdefault("queryset", Appellation.objects.select_related("fiche"))
        kwargs.setdefault("widget", AppellationMultipleAutocomplete(slots=slots))
        kwargs.setdefault("help_text", "Tapez quelques lettres puis choisissez un métier dans la liste.")
        super().__init__(**kwargs)

    def clean(self, value):
        codes = list(value or [])
        texts = self.widget.typed_texts() if hasattr(self.widget, "typed_texts") else []
        chosen: list[Appellation] = []
        errors: list[ValidationError] = []
        for position, code in enumerate(codes):
            text = texts[position] if position < len(texts) else ""
            try:
                if code not in self.empty_values:
                    appellation = self.queryset.filter(pk=int(code)).first() if str(code).isdigit() else None
                    if appellation is None:
                        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
                elif text:
                    appellation = resolve_or_raise(text, self.error_messages)
                else:
                    continue
            except ValidationError as error:
                errors.append(error)
                continue
            if appellation not in chosen:
                chosen.append(appellation)
        if errors:
            raise ValidationError(errors)
        if not chosen and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return chosen
