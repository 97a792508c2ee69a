from django import forms
from dsfr.forms import DsfrBaseForm

from companies.models import Contact, Operation
from rome.models import Fiche
from territories.widgets import CommuneField


class ContactForm(DsfrBaseForm, forms.ModelForm):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Contact
        fields = [
            "kind",
            "date",
            "purpose",
            "needs",
            "follow_up",
            "consent_to_contact",
            "coordinated_with_referent",
        ]


class OperationForm(DsfrBaseForm, forms.ModelForm):
    commune = CommuneField(label="Commune")
    starts_at = forms.DateTimeField(
        label="Début", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(label="Fin", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    naf_sectors = forms.CharField(
        label="Secteurs (divisions NAF, séparées par des espaces)",
        required=False,
        help_text="Par exemple : 86 87 88",
    )
    fiche_codes = forms.CharField(
        label="Métiers (codes ROME, séparés par des espaces)",
        required=False,
        help_text="Par exemple : J1501 K1302",
    )

    class Meta:
        model = Operation
        fields = [
            "kind",
            "title",
            "description",
            "commune",
            "address",
            "starts_at",
            "ends_at",
            "target_public",
            "company_capacity",
            "people_capacity",
            "is_public",
        ]

    def clean_naf_sectors(self):
        sectors = self.cleaned_data["naf_sectors"].split()
        bad = [s for s in sectors if not (s.isdigit() and len(s) == 2)]
        if bad:
            raise forms.ValidationError(f"Divisions NAF attendues sur deux chiffres : {', '.join(bad)}")
        return sectors

    def clean_fiche_codes(self):
        codes = [code.upper() for code in self.cleaned_data["fiche_codes"].split()]
        found = {f.code: f for f in Fiche.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(f"Codes ROME inconnus : {', '.join(unknown)}")
        return [found[code] for code in codes]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", "La fin doit suivre le début.")
        return cleaned


class OutcomeForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["people_met", "interviews", "hires"]


class SearchForm(DsfrBaseForm):
    q = forms.CharField(label="Nom, enseigne ou SIRET", required=False)
