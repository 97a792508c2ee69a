"""A commune picker for any form: autocomplete on /api/v1/territories/communes, resolved on the server when
JavaScript is off."""

from django import forms
from django.urls import reverse

from core.text import fold
from core.widgets import AutocompleteWidget
from territories.models import Commune
from territories.selectors import commune_label, fold_commune_name, split_label

MAX_LISTED_CHOICES = 8


class CommuneAutocomplete(AutocompleteWidget):
    item_value = "code"
    item_label = "label"
    min_chars = 2

    @property
    def api_url(self) -> str:
        return reverse("api:list_communes")

    def label_for(self, value) -> str:
        if isinstance(value, Commune):
            return commune_label(value)
        commune = Commune.objects.filter(pk=value).only("name", "departement_id").first()
        return commune_label(commune) if commune else ""


class CommuneField(forms.ModelChoiceField):
    """A commune, given by its INSEE code (picked in the suggestions) or typed: "Amiens", "Amiens (80)",
    "80000". Typed text that fits several communes is refused with the list of choices."""

    default_error_messages = {
        "not_found": "Aucune commune ne correspond à « %(text)s ». Vérifiez l'orthographe ou saisissez le code "
        "postal.",
        "ambiguous": "« %(text)s » correspond à plusieurs communes : %(choices)s. Précisez le département, "
        "par exemple « %(example)s ».",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Commune.objects.select_related("departement"))
        kwargs.setdefault("widget", CommuneAutocomplete)
        kwargs.setdefault("label", "Commune")
        kwargs.setdefault(
            "help_text", "Saisissez au moins 2 caractères : nom de la commune, code postal ou code INSEE."
        )
        super().__init__(**kwargs)

    def clean(self, value):
        if value in self.empty_values:
            text = self.widget.typed_text().strip()
            if text:
                return self.resolve_text(text)
        return super().clean(value)

    def resolve_text(self, text: str) -> Commune:
        candidates = self._candidates(text)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        labels = [commune_label(c) for c in candidates[:MAX_LISTED_CHOICES]]
        if len(candidates) > MAX_LISTED_CHOICES:
            labels.append(f"et {len(candidates) - MAX_LISTED_CHOICES} autres")
        raise forms.ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "choices": ", ".join(labels), "example": labels[0]},
        )

    def _candidates(self, text: str) -> list[Commune]:
        queryset = self.queryset.order_by("-population", "name")
        if text.isdigit():
            if len(text) == 5:
                by_code = list(queryset.filter(pk=text))
                if by_code:
                    return by_code
            return [c for c in queryset.filter(postal_codes__contains=text) if text in c.postal_code_list]
        name, departement = split_label(text)
        if departement:
            queryset = queryset.filter(departement_id=departement)
        matches = list(queryset.filter(search_name=fold(name)))
        if not matches:
            matches = list(queryset.filter(search_name=fold_commune_name(name)))
        return matches
