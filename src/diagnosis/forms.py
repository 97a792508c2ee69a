from django import forms
from dsfr.forms import DsfrBaseForm

from accounts.models import Organisation
from diagnosis import selectors
from diagnosis.models import ActionLine, OccupationKind


class ActionLineForm(DsfrBaseForm, forms.ModelForm):
    occupation = forms.ChoiceField(label="Métier (ROME v3)")
    territory = forms.ChoiceField(label="Territoire")

    class Meta:
        model = ActionLine
        fields = [
            "title",
            "description",
            "owner",
            "partners",
            "funding",
            "deadline",
            "target_indicator",
            "baseline_value",
            "target_value",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "title": "Par exemple : « Ouvrir 24 places de formation d'aide-soignant dans le bassin d'Amiens en 2026 ».",
            "partners": "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
        }

    field_order = ["title", "occupation", "territory", "description"]

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["partners"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["partners"].required = False
        self.fields["occupation"].choices = [("", "—")] + selectors.occupation_choices(OccupationKind.ROME3)
        territories = selectors.region_territories()
        self.fields["territory"].choices = [("", "—")] + [
            (t.ref, str(t)) for group in ("region", "departements", "bassins") for t in territories[group]
        ]
        if self.instance.pk:
            self.initial.setdefault("occupation", self.instance.occupation_code)
            self.initial.setdefault(
                "territory", f"{self.instance.territory_kind}:{self.instance.territory_code}"
            )

    def cleaned_fields(self) -> dict:
        """The model fields, with occupation and territory expanded (code, label, kind)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "partners"}
        territory = selectors.territory_from_ref(self.cleaned_data["territory"])
        labels = dict(self.fields["occupation"].choices)
        code = self.cleaned_data["occupation"]
        data.update(
            occupation_kind=OccupationKind.ROME3,
            occupation_code=code,
            occupation_label=labels.get(code, code).split(" — ", 1)[-1],
            territory_kind=territory.kind,
            territory_code=territory.code,
            territory_label=str(territory),
        )
        return data


class StatusForm(DsfrBaseForm):
    status = forms.ChoiceField(label="Nouveau statut")
    reason = forms.CharField(label="Motif (facultatif)", required=False, max_length=100)

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ActionLine.Status(s).label) for s in statuses]


class CompareForm(DsfrBaseForm):
    first = forms.ChoiceField(label="Premier territoire")
    second = forms.ChoiceField(label="Second territoire")
    occupation = forms.ChoiceField(label="Métier (facultatif : sinon, vue d'ensemble)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territories = selectors.region_territories()
        choices = [
            (t.ref, str(t)) for group in ("region", "departements", "bassins") for t in territories[group]
        ]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices
        self.fields["occupation"].choices = [("", "—")] + selectors.occupation_choices(OccupationKind.ROME3)


class CompareOccupationsForm(DsfrBaseForm):
    territory = forms.ChoiceField(label="Territoire")
    first = forms.ChoiceField(label="Premier métier")
    second = forms.ChoiceField(label="Second métier")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territories = selectors.region_territories()
        self.fields["territory"].choices = [
            (t.ref, str(t)) for group in ("region", "departements", "bassins") for t in territories[group]
        ]
        occupations = selectors.occupation_choices(OccupationKind.ROME3)
        self.fields["first"].choices = occupations
        self.fields["second"].choices = occupations
