from django import forms
from dsfr.forms import DsfrBaseForm

from core.validators import validate_upload_size
from offers.canonical import CONTRACT_LABELS
from offers.models import Source
from offers.selectors import PUBLISHED_WITHIN
from rome.widgets import AppellationField
from territories.models import Departement
from territories.widgets import CommuneField

RADIUS_CHOICES = [
    ("", "Commune seule"),
    ("5", "5 km"),
    ("10", "10 km"),
    ("20", "20 km"),
    ("30", "30 km"),
    ("50", "50 km"),
    ("100", "100 km"),
]
SORT_CHOICES = [("relevance", "Pertinence"), ("date", "Date de publication"), ("distance", "Distance")]


class OfferSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Mots-clés", required=False, max_length=200, help_text="Métier, compétence, employeur…"
    )
    commune = CommuneField(label="Commune", required=False)
    radius_km = forms.TypedChoiceField(
        label="Rayon", choices=RADIUS_CHOICES, required=False, coerce=int, empty_value=0
    )
    appellation = AppellationField(label="Métier (appellation ROME)", required=False)
    rome = forms.RegexField(
        label="Code ROME",
        regex=r"^[A-Na-n]\d{4}$",
        required=False,
        max_length=5,
        help_text="Par exemple M1805",
    )
    departement = forms.ChoiceField(label="Département", required=False)
    contract = forms.MultipleChoiceField(
        label="Type de contrat",
        required=False,
        choices=list(CONTRACT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    published_within_days = forms.TypedChoiceField(
        label="Date de publication",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Toutes")] + [(str(d), label) for d, label in PUBLISHED_WITHIN.items()],
    )
    source = forms.MultipleChoiceField(
        label="Source / opérateur", required=False, widget=forms.CheckboxSelectMultiple
    )
    sort = forms.ChoiceField(label="Trier par", choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = (
            [("", "Tous")]
            + [
                (d.code, f"{d.name} ({d.code})")
                for d in Departement.objects.filter(region_id="32").order_by("code")
            ]
            + [
                (d.code, f"{d.name} ({d.code})")
                for d in Departement.objects.exclude(region_id="32").order_by("code")
            ]
        )
        self.fields["source"].choices = [(s.name, s.display_name) for s in Source.objects.order_by("name")]


class ImportForm(DsfrBaseForm):
    source = forms.ModelChoiceField(
        label="Source", queryset=Source.objects.none(), required=False, empty_label="Nouvelle source…"
    )
    new_source = forms.SlugField(
        label="Nom de la nouvelle source",
        required=False,
        max_length=60,
        help_text="Lettres, chiffres et tirets, ex. region-hdf",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[
            ("francetravail", "JSON France Travail (liste, JSON Lines ou réponse de recherche)"),
            ("jobposting", "schema.org JobPosting (JSON, JSON Lines ou page HTML)"),
            ("csv", "CSV (; ou ,)"),
        ],
    )
    mapping = forms.FileField(
        validators=[validate_upload_size],
        label="Correspondance des colonnes (CSV)",
        required=False,
        help_text='Fichier JSON {"nom canonique": "nom de colonne"}, par exemple {"source_id": "reference", "title": "intitule"}.',
    )
    snapshot = forms.BooleanField(
        label="Fichier complet : clôturer les offres de cette source absentes du fichier", required=False
    )
    file = forms.FileField(label="Fichier d'offres", validators=[validate_upload_size])

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources if sources is not None else Source.objects.all()

    def clean(self):
        data = super().clean()
        if not data.get("source") and not data.get("new_source"):
            self.add_error(
                "new_source", "Choisissez une source existante ou donnez le nom de la nouvelle source."
            )
        if data.get("new_source") and Source.objects.filter(name=data["new_source"]).exists():
            self.add_error("new_source", "Une source porte déjà ce nom : choisissez-la dans la liste.")
        return data


class RomeChoiceForm(DsfrBaseForm):
    appellation = AppellationField(label="Appellation ROME retenue", required=True)
