from django import forms


class AutocompleteWidget(forms.Widget):
    """A text box that suggests items from a JSON endpoint and submits the chosen item's key.

    Submits two values: `<name>` (the chosen key, filled by JavaScript) and `<name>_text` (what was typed), so
    the field can still resolve the typed text on the server when JavaScript is off. Subclasses set the API URL,
    the item keys and `label_for(value)`.
    """

    template_name = "widgets/autocomplete.html"
    api_url: str = ""
    item_value = "code"
    item_label = "label"
    item_hint = ""
    min_chars = 2

    def label_for(self, value) -> str:
        return ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            api_url=self.api_url,
            item_value=self.item_value,
            item_label=self.item_label,
            item_hint=self.item_hint,
            min_chars=self.min_chars,
            text_name=f"{name}_text",
            text_value=getattr(self, "_typed_text", "")
            or (self.label_for(value) if value not in (None, "") else ""),
        )
        return context

    def value_from_datadict(self, data, files, name):
        self._typed_text = data.get(f"{name}_text", "")
        value = data.get(name)
        return value if value else None

    def typed_text(self) -> str:
        return getattr(self, "_typed_text", "")
