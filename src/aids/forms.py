"""Forms: the simulator's steps and the catalogue editor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from aids.models import Aid, Theme
from aids.situations import (
    ALLOWANCE_LABELS,
    CONTRACT_LABELS,
    NEED_LABELS,
    STATUS_LABELS,
)
from territories.widgets import CommuneField

YES_NO = [("", "Je ne sais pas / je ne souhaite pas répondre"), ("yes", "Oui"), ("no", "Non")]
CATEGORIES = [
    ("", "Je ne sais pas"),
    ("1", "A"),
    ("2", "B"),
    ("3", "C"),
    ("4", "D (formation, CSP)"),
    ("5", "E (contrat aidé)"),
]


def _choices(labels: dict, empty: str = "Choisir") -> list:
    return [("", empty), *((key.value, label) for key, label in labels.items())]


class SimulatorStep(DsfrBaseForm):
    """A step: its cleaned data are JSON-safe (dates as ISO strings, communes as codes)."""

    title = ""

    def answers(self) -> dict:
        out = {}
        for name, value in self.cleaned_data.items():
            if hasattr(value, "code"):
                value = value.code
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = float(value)
            out[name] = value
        return out


class PersonStep(SimulatorStep):
    title = "Vous"
    birth_date = forms.DateField(
        label="Date de naissance",
        help_text="Format : jj/mm/aaaa",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    residence_commune = CommuneField(label="Commune de résidence", required=False)
    status = forms.ChoiceField(label="Votre situation", choices=_choices(STATUS_LABELS), required=False)
    job_seeker_category = forms.ChoiceField(
        label="Catégorie d'inscription à France Travail",
        choices=CATEGORIES,
        required=False,
        help_text="Seulement si vous êtes inscrit(e).",
    )
    registration_date = forms.DateField(
        label="Inscrit(e) à France Travail depuis le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    allowance = forms.ChoiceField(
        label="Allocation perçue", choices=_choices(ALLOWANCE_LABELS), required=False
    )
    allowance_daily_amount = forms.DecimalField(
        label="Montant journalier de l'allocation chômage (ARE), en €",
        required=False,
        min_value=0,
        decimal_places=2,
    )
    mission_locale_follow_up = forms.ChoiceField(
        label="Suivi(e) par une mission locale (PACEA, CEJ) ?", choices=YES_NO, required=False
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > date.today():
            raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
        return value


class HouseholdStep(SimulatorStep):
    title = "Votre foyer"
    household = forms.ChoiceField(
        label="Vous vivez",
        choices=[("", "Choisir"), ("single", "Seul(e)"), ("couple", "En couple")],
        required=False,
    )
    partner_working = forms.ChoiceField(
        label="Votre conjoint(e) travaille ou suit une formation qualifiante ?",
        choices=YES_NO,
        required=False,
    )
    children_ages = forms.CharField(
        label="Âge des enfants à votre charge",
        required=False,
        help_text="En années, séparés par des virgules (par exemple : 2, 7). "
        "Écrivez 0 pour un enfant de moins d'un an, « aucun » si vous n'en avez pas.",
    )
    household_monthly_income = forms.DecimalField(
        label="Revenus nets mensuels du foyer, en €", required=False, min_value=0
    )
    reference_tax_income = forms.DecimalField(
        label="Revenu fiscal de référence (avis d'imposition), en €", required=False, min_value=0
    )
    attached_to_parents = forms.ChoiceField(
        label="Rattaché(e) au foyer fiscal de vos parents ?", choices=YES_NO, required=False
    )

    def clean_children_ages(self):
        text = self.cleaned_data["children_ages"].strip().lower()
        if not text:
            return None
        if text in ("aucun", "0 enfant", "non", "pas d'enfant"):
            return []
        try:
            ages = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                "Écrivez des âges en années séparés par des virgules, ou « aucun »."
            ) from None
        if any(not 0 <= age < 30 for age in ages):
            raise forms.ValidationError("Chaque âge doit être compris entre 0 et 29 ans.")
        return ages


class NeedStep(SimulatorStep):
    title = "Votre projet"
    kind = forms.ChoiceField(label="Votre projet", choices=_choices(NEED_LABELS), required=False)
    place_commune = CommuneField(
        label="Commune de l'entretien, de la formation ou de l'emploi", required=False
    )
    start_date = forms.DateField(
        label="Date de l'entretien ou du premier jour",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    contract_type = forms.ChoiceField(
        label="Type de contrat", choices=_choices(CONTRACT_LABELS), required=False
    )
    contract_months = forms.DecimalField(
        label="Durée du contrat ou du stage, en mois",
        required=False,
        min_value=0,
        help_text="Laissez vide pour un CDI.",
    )
    weekly_hours = forms.DecimalField(label="Heures par semaine", required=False, min_value=0, max_value=80)
    training_hours = forms.DecimalField(
        label="Formation : durée totale en heures", required=False, min_value=0
    )
    training_funded = forms.ChoiceField(
        label="Formation validée et financée (France Travail, CPF, Région…) ?", choices=YES_NO, required=False
    )


class TransportStep(SimulatorStep):
    title = "Vos moyens de transport et votre salaire"
    driving_licence = forms.ChoiceField(label="Avez-vous le permis B ?", choices=YES_NO, required=False)
    vehicle = forms.ChoiceField(
        label="Disposez-vous d'une voiture ou d'un deux-roues motorisé ?", choices=YES_NO, required=False
    )
    disability = forms.ChoiceField(
        label="Avez-vous une reconnaissance de handicap (RQTH) ?", choices=YES_NO, required=False
    )
    monthly_income = forms.DecimalField(
        label="Salaire net mensuel (celui de l'emploi repris), en €", required=False, min_value=0
    )


STEPS = [PersonStep, HouseholdStep, NeedStep, TransportStep]


class CatalogueSearchForm(DsfrBaseForm):
    theme = forms.ChoiceField(label="Frein", choices=[("", "Tous")] + list(Theme.choices), required=False)
    departement = forms.ChoiceField(label="Département", required=False)
    q = forms.CharField(label="Mots-clés", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from territories.models import Departement

        self.fields["departement"].choices = [("", "Tous")] + [
            (d.code, str(d)) for d in Departement.objects.filter(region_id="32")
        ]


class LinesField(forms.CharField):
    """A list of strings edited as one line each."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class AidForm(DsfrBaseForm, forms.ModelForm):
    conditions = LinesField(label="Conditions (une par ligne)", required=False)
    documents = LinesField(label="Pièces à fournir (une par ligne)", required=False)
    reference_urls = LinesField(label="Références officielles (une URL par ligne)")
    region_codes = LinesField(label="Régions (codes INSEE, un par ligne)", required=False)
    departement_codes = LinesField(label="Départements (codes, un par ligne)", required=False)
    epci_codes = LinesField(label="EPCI (SIREN, un par ligne)", required=False)
    commune_codes = LinesField(label="Communes (codes INSEE, un par ligne)", required=False)
    non_cumulable_with = LinesField(
        label="Non cumulable avec (identifiants d'aides, un par ligne)", required=False
    )
    teleservice_url = forms.URLField(
        label="Téléservice", required=False, max_length=500, assume_scheme="https"
    )
    change_reason = forms.CharField(label="Motif de la modification", max_length=100, required=False)

    class Meta:
        model = Aid
        fields = [
            "label",
            "institution",
            "institution_kind",
            "theme",
            "description",
            "conditions",
            "amount_text",
            "amount_max",
            "periodicity",
            "how_to_apply",
            "teleservice_url",
            "instructed_by",
            "documents",
            "non_cumulable_with",
            "cumulation_note",
            "region_codes",
            "departement_codes",
            "epci_codes",
            "commune_codes",
            "valid_from",
            "valid_until",
            "reference_urls",
            "verified_on",
            "sources_note",
            "is_published",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_non_cumulable_with(self):
        ids = self.cleaned_data["non_cumulable_with"]
        unknown = sorted(set(ids) - set(Aid.objects.filter(pk__in=ids).values_list("pk", flat=True)))
        if unknown:
            raise forms.ValidationError(f"Aide(s) inconnue(s) : {', '.join(unknown)}.")
        return ids
