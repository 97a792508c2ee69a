from django import forms
from dsfr.forms import DsfrBaseForm

from territories.selectors import commune_by_code
from training.models import TrainingSession, split_codes
from training.sources import ROME_CODE


class SessionForm(DsfrBaseForm, forms.ModelForm):
    commune_code = forms.CharField(label="Code INSEE de la commune du lieu de formation", max_length=5)
    # A select rather than a checkbox: django-dsfr's checkbox template needs django-widget-tweaks.
    certifying = forms.TypedChoiceField(
        label="Formation certifiante",
        choices=[("1", "Oui"), ("0", "Non")],
        coerce=lambda value: value == "1",
        initial="1",
    )
    url = forms.URLField(label="Lien", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = TrainingSession
        fields = [
            "title",
            "provider_name",
            "provider_siret",
            "certifying",
            "certification",
            "rome_codes",
            "formacodes",
            "nsf_codes",
            "start_date",
            "end_date",
            "places",
            "funders",
            "url",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_commune_code(self):
        commune = commune_by_code(self.cleaned_data["commune_code"])
        if commune is None:
            raise forms.ValidationError("Code INSEE inconnu.")
        self.commune = commune
        return commune.code

    def clean_rome_codes(self):
        codes = [code.upper() for code in split_codes(self.cleaned_data["rome_codes"])]
        invalid = [code for code in codes if not ROME_CODE.match(code)]
        if invalid:
            raise forms.ValidationError(f"Code(s) ROME invalide(s) : {', '.join(invalid)}.")
        if not codes:
            raise forms.ValidationError("Indiquez au moins un code ROME visé.")
        return " ".join(codes)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "La fin précède le début.")
        return data
