from datetime import date, datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from accounts.models import Organisation
from aids.models import Aid
from jobseekers.models import AidRequest, Consent, JobSeeker, Need
from offers.models import Offer
from territories.models import Bassin, Departement, Region
from territories.widgets import CommuneField

YES_NO_UNKNOWN = [("", "Non renseigné"), ("true", "Oui"), ("false", "Non")]
NO_CHILD_WORDS = {"aucun", "aucune", "0", "non", "pas d'enfant"}


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


CHECKBOX_TEMPLATE = "jobseekers/_checkbox_field.html"


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        required=False,
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class ChildrenField(forms.CharField):
    """Birth dates of the children in charge, typed as "12/03/2018, 05/09/2021"; "aucun" for none; empty when
    not told."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Enfants à charge : dates de naissance")
        kwargs.setdefault(
            "help_text",
            "Format JJ/MM/AAAA, séparées par des virgules. Écrivez « aucun » s'il n'y a pas d'enfant à charge ; "
            "laissez vide si la personne ne l'a pas dit.",
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(date.fromisoformat(v).strftime("%d/%m/%Y") for v in value) if value else "aucun"
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        if text.lower() in NO_CHILD_WORDS:
            return []
        dates = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                born = datetime.strptime(part, "%d/%m/%Y").date()
            except ValueError as exc:
                raise forms.ValidationError(
                    "« %(part)s » n'est pas une date au format JJ/MM/AAAA.", params={"part": part}
                ) from exc
            if born > timezone.localdate():
                raise forms.ValidationError("« %(part)s » est dans le futur.", params={"part": part})
            dates.append(born.isoformat())
        return sorted(dates)


class RecordForm(DsfrBaseForm, forms.ModelForm):
    commune = CommuneField(label="Commune de résidence", required=False)
    lives_alone = _yes_no("Vit seul ou seule (sans conjoint)")
    has_driving_licence = _yes_no("Permis B")
    has_vehicle = _yes_no("Véhicule personnel (voiture ou deux-roues motorisé)")
    children_birth_dates = ChildrenField()

    class Meta:
        model = JobSeeker
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "commune",
            "status",
            "registration_date",
            "allowance",
            "allowance_daily_amount",
            "lives_alone",
            "children_birth_dates",
            "household_monthly_income",
            "has_driving_licence",
            "has_vehicle",
        ]
        widgets = {"birth_date": _date_input(), "registration_date": _date_input()}
        help_texts = {
            "birth_date": "Sert au calcul des aides réservées à une tranche d'âge.",
            "allowance_daily_amount": "Montant brut journalier, pour l'ARE (certaines aides exigent un montant "
            "au plus égal à l'ARE minimale).",
            "household_monthly_income": "Ressources nettes mensuelles de tout le foyer.",
        }

    IDENTITY = ["first_name", "last_name", "birth_date", "email", "phone", "commune"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allowance"].choices = [("", "Non renseignée"), *JobSeeker.Allowance.choices]

    def identity_fields(self):
        return [self[name] for name in self.IDENTITY]

    def situation_fields(self):
        return [self[name] for name in self.fields if name not in self.IDENTITY and name in self.Meta.fields]

    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.Meta.fields]

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
        return birth_date


class CreateRecordForm(RecordForm):
    share_consent = forms.BooleanField(
        template_name=CHECKBOX_TEMPLATE,
        label="La personne accepte que son dossier soit partagé entre les organisations qui l'accompagnent",
        required=False,
        help_text="Sans cet accord, le dossier reste visible de votre seule organisation. Il peut être recueilli "
        "plus tard depuis la fiche.",
    )
    consent_method = forms.ChoiceField(
        label="Comment l'accord a-t-il été recueilli ?",
        choices=[("", "—"), *Consent.Method.choices],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("share_consent") and not cleaned.get("consent_method"):
            self.add_error("consent_method", "Indiquez comment la personne a donné son accord.")
        return cleaned


class SearchForm(DsfrBaseForm):
    q = forms.CharField(label="Nom ou prénom", required=False, max_length=100)


class AidRequestFilterForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label="Statut", choices=[("", "Tous les statuts"), *AidRequest.Status.choices], required=False
    )


class ConsentForm(DsfrBaseForm):
    scope = forms.ChoiceField(label="Objet du consentement", choices=Consent.Scope.choices)
    method = forms.ChoiceField(label="Recueilli par", choices=Consent.Method.choices)
    given_on = forms.DateField(label="Donné le", widget=_date_input(), initial=timezone.localdate)


class WithdrawConsentForm(DsfrBaseForm):
    note = forms.CharField(label="Précision (facultatif)", required=False, max_length=200)


class FollowUpForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label="Organisation qui accompagne aussi la personne", queryset=Organisation.objects.none()
    )
    since = forms.DateField(label="Depuis le", widget=_date_input(), initial=timezone.localdate)

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk__in=[o.pk for o in exclude])
            .order_by("name")
        )


class EndFollowUpForm(DsfrBaseForm):
    until = forms.DateField(
        label="Suivi terminé à compter du", widget=_date_input(), initial=timezone.localdate
    )
    reason = forms.CharField(label="Motif (facultatif)", required=False, max_length=200)


class NeedForm(DsfrBaseForm, forms.ModelForm):
    place_commune = CommuneField(
        label="Commune de l'entretien, de la formation ou de l'emploi",
        required=False,
        help_text="Nom, code postal ou code INSEE. Facultatif si vous indiquez une offre du vivier.",
    )
    offer = forms.ModelChoiceField(
        label="Numéro de l'offre du vivier régional (facultatif)",
        queryset=Offer.objects.all(),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Sa commune, son contrat et sa durée hebdomadaire complètent ce que vous laissez vide.",
        error_messages={"invalid_choice": "Aucune offre du vivier ne porte ce numéro."},
    )

    class Meta:
        model = Need
        fields = [
            "kind",
            "place_commune",
            "offer",
            "start_date",
            "contract_type",
            "contract_months",
            "weekly_hours",
            "monthly_salary",
            "training_hours",
            "round_trips",
            "meals",
            "nights",
            "description",
        ]
        widgets = {"start_date": _date_input()}
        help_texts = {
            "contract_months": "Pour un CDD ou une mission d'intérim.",
            "monthly_salary": "Pour une reprise d'emploi : certaines aides ont un plafond de salaire.",
            "round_trips": "Un aller-retour par défaut pour un entretien.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract_type"].choices = [
            ("", "Non précisé (entretien, formation)"),
            *Need.ContractType.choices,
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("place_commune")
            and not cleaned.get("offer")
            and "place_commune" not in self.errors
        ):
            self.add_error("place_commune", "Indiquez la commune, ou une offre du vivier qui la précise.")
        return cleaned


class AidRequestForm(DsfrBaseForm):
    aid = forms.ModelChoiceField(label="Aide demandée", queryset=Aid.objects.filter(is_published=True))
    amount_requested = forms.DecimalField(
        label="Montant demandé (€)", min_value=0, max_digits=10, decimal_places=2
    )
    consent = forms.BooleanField(
        template_name=CHECKBOX_TEMPLATE,
        label="La personne a donné son accord pour cette demande (transmission de ses informations à "
        "l'organisme qui instruit l'aide)",
    )
    consent_method = forms.ChoiceField(
        label="Comment l'accord a-t-il été recueilli ?", choices=Consent.Method.choices
    )
    consent_given_on = forms.DateField(
        label="Accord donné le", widget=_date_input(), initial=timezone.localdate
    )
    notes = forms.CharField(
        label="Notes (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentsForm(DsfrBaseForm):
    """One checkbox per document of the request's checklist, the notes, and the amount asked while the request
    is not sent yet."""

    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, aid_request: AidRequest, **kwargs):
        kwargs.setdefault(
            "initial", {"notes": aid_request.notes, "amount_requested": aid_request.amount_requested}
        )
        super().__init__(*args, **kwargs)
        documents = self.documents = aid_request.documents
        if aid_request.status == AidRequest.Status.TO_SEND:
            self.fields["amount_requested"] = forms.DecimalField(
                label="Montant demandé (€)", min_value=0, max_digits=10, decimal_places=2
            )
        for index, document in enumerate(documents):
            self.fields[f"doc_{index}"] = forms.BooleanField(
                template_name=CHECKBOX_TEMPLATE,
                label=document["label"],
                required=False,
                initial=document.get("provided", False),
            )
        self.order_fields([*(f"doc_{i}" for i in range(len(documents))), "amount_requested", "notes"])

    def changes(self) -> dict:
        data = {"documents": self.checklist(), "notes": self.cleaned_data["notes"]}
        if "amount_requested" in self.fields:
            data["amount_requested"] = self.cleaned_data["amount_requested"]
        return data

    def checklist(self) -> list[dict]:
        return [
            {"label": document["label"], "provided": bool(self.cleaned_data.get(f"doc_{index}"))}
            for index, document in enumerate(self.documents)
        ]


class StatusForm(DsfrBaseForm):
    status = forms.ChoiceField(label="Nouveau statut")
    on = forms.DateField(label="Date", widget=_date_input(), initial=timezone.localdate)
    amount_granted = forms.DecimalField(
        label="Montant accordé (€)",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Obligatoire quand l'aide est accordée.",
    )
    note = forms.CharField(label="Note (facultatif)", required=False, max_length=300)

    def __init__(self, *args, aid_request: AidRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in aid_request.next_statuses]
        if aid_request.amount_requested and not self.is_bound:
            self.fields["amount_granted"].initial = aid_request.amount_requested

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == AidRequest.Status.GRANTED and not cleaned.get("amount_granted"):
            self.add_error("amount_granted", "Indiquez le montant accordé.")
        on = cleaned.get("on")
        if on and on > timezone.localdate():
            self.add_error("on", "La date ne peut pas être dans le futur.")
        return cleaned


class DashboardForm(DsfrBaseForm):
    territory = forms.ChoiceField(label="Territoire", required=False)
    start = forms.DateField(label="Demandes déposées du", widget=_date_input(), required=False)
    end = forms.DateField(label="au", widget=_date_input(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = Region.objects.filter(pk=settings.REGION_CODE).first()
        choices = [("", "Tous les territoires")]
        if region is not None:
            choices.append((f"region:{region.pk}", f"Région {region.name}"))
        departements = Departement.objects.filter(region_id=settings.REGION_CODE).order_by("code")
        choices.append(("Départements", [(f"departement:{d.pk}", str(d)) for d in departements]))
        bassins = Bassin.objects.filter(communes__region_id=settings.REGION_CODE).distinct().order_by("name")
        choices.append(("Bassins d'emploi", [(f"bassin:{b.pk}", str(b)) for b in bassins]))
        self.fields["territory"].choices = choices

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "La fin de la période précède son début.")
        return cleaned

    def get_territory(self) -> Region | Departement | Bassin | None:
        value = self.cleaned_data.get("territory") or ""
        if not value:
            return None
        level, code = value.split(":", 1)
        model = {"region": Region, "departement": Departement, "bassin": Bassin}[level]
        return model.objects.get(pk=code)
