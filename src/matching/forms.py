from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from matching.models import Barrier, ExperienceLevel, Referral, SearchProfile, WorkingTime
from offers.models import CONTRACT_CHOICES
from rome.models import Skill
from rome.widgets import AppellationField
from territories.models import Departement

OCCUPATION_SLOTS = 3


class SearchProfileForm(DsfrBaseForm, forms.ModelForm):
    contract_types = forms.MultipleChoiceField(
        label="Contrats acceptés",
        help_text="Aucun coché : tous les contrats.",
        choices=CONTRACT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    barriers = forms.MultipleChoiceField(
        label="Freins déclarés", choices=Barrier.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    working_time = forms.ChoiceField(label="Temps de travail", choices=WorkingTime.choices, required=False)
    experience = forms.ChoiceField(label="Expérience dans ces métiers", choices=ExperienceLevel.choices)
    available_from = forms.DateField(
        label="Disponible à partir du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = SearchProfile
        fields = [
            "experience",
            "contract_types",
            "working_time",
            "available_from",
            "uses_car",
            "uses_two_wheeler",
            "uses_public_transport",
            "uses_bike",
            "walks",
            "max_commute_minutes",
            "barriers",
        ]

    def __init__(self, *args, skills_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(self.instance.appellations.all()) if self.instance.pk else []
        for slot in range(OCCUPATION_SLOTS):
            name = f"appellation_{slot + 1}"
            self.fields[name] = AppellationField(
                label=f"Métier recherché {slot + 1}",
                required=slot == 0,
                initial=current[slot] if slot < len(current) else None,
            )
        self.order_fields([f"appellation_{slot + 1}" for slot in range(OCCUPATION_SLOTS)] + self.Meta.fields)
        if skills_queryset is not None and skills_queryset.exists():
            self.fields["skills"] = forms.ModelMultipleChoiceField(
                label="Compétences acquises (compétences clés des métiers recherchés)",
                queryset=skills_queryset,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(self.instance.skills.all()) if self.instance.pk else [],
            )
        self.fields["max_commute_minutes"].widget.attrs.update(min=5, max=180)

    def clean_max_commute_minutes(self):
        value = self.cleaned_data["max_commute_minutes"]
        if not 5 <= value <= 180:
            raise forms.ValidationError("Indiquez un temps de trajet entre 5 et 180 minutes.")
        return value

    def clean(self):
        cleaned = super().clean()
        modes = ["uses_car", "uses_two_wheeler", "uses_public_transport", "uses_bike", "walks"]
        if not any(cleaned.get(name) for name in modes):
            raise forms.ValidationError("Cochez au moins un moyen de déplacement.")
        return cleaned

    def appellations(self) -> list:
        chosen = [self.cleaned_data.get(f"appellation_{slot + 1}") for slot in range(OCCUPATION_SLOTS)]
        return list(dict.fromkeys(a for a in chosen if a is not None))

    def skills(self):
        return list(self.cleaned_data["skills"]) if "skills" in self.fields else None


def core_skills_for(appellations) -> "forms.QuerySet[Skill]":
    fiches = {a.fiche_id for a in appellations}
    return (
        Skill.objects.filter(fiche_links__fiche_id__in=fiches, fiche_links__is_core=True)
        .distinct()
        .order_by("label")
    )


class ReferralStatusForm(DsfrBaseForm):
    status = forms.ChoiceField(label="Nouvel état", choices=Referral.Status.choices)
    note = forms.CharField(label="Précision (obligatoire si sans suite)", required=False, max_length=300)


class OfferFiltersForm(DsfrBaseForm):
    contract_type = forms.ChoiceField(
        label="Contrat", choices=[("", "Tous")] + list(CONTRACT_CHOICES), required=False
    )
    departement_code = forms.ChoiceField(label="Département", required=False)
    published_within_days = forms.ChoiceField(
        label="Publiée depuis",
        required=False,
        choices=[("", "Toutes"), ("1", "1 jour"), ("7", "7 jours"), ("30", "30 jours")],
    )
    sort = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[("", "Pertinence"), ("time", "Temps de trajet"), ("date", "Date de publication")],
    )
    include_unreachable = forms.BooleanField(label="Montrer aussi les offres hors de portée", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement_code"].choices = [("", "Tous")] + [
            (d.code, str(d)) for d in Departement.objects.filter(region_id=settings.REGION_CODE)
        ]
