"""The catalogue of mobility and barrier-removal aids, as versioned data.

An `Aid` describes one aid or service whatever its institution (France Travail, Région, département, commune,
CAF, Action Logement…): who may get it, where, how much, how to apply, what it does not combine with and where
the facts come from. Which rule decides eligibility is named by `rule_kind` and `openfisca_variable` /
`declarative_conditions`; the engine (`aids.engine`) evaluates it. Every change is kept (simple-history).
"""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Theme(models.TextChoices):
    """The barrier an aid removes. Mobility is split by what it pays for."""

    MOBILITY_LICENCE = "mobility_licence", "Mobilité — permis de conduire"
    MOBILITY_VEHICLE = "mobility_vehicle", "Mobilité — véhicule"
    MOBILITY_TRANSPORT = "mobility_transport", "Mobilité — frais de transport"
    MOBILITY_TRAVEL = (
        "mobility_travel",
        "Mobilité — déplacement pour un entretien, une formation, une reprise d'emploi",
    )
    CHILDCARE = "childcare", "Garde d'enfants"
    HOUSING = "housing", "Logement"
    EQUIPMENT = "equipment", "Équipement"
    HEALTH = "health", "Santé"
    OTHER = "other", "Autre"


MOBILITY_THEMES = (
    Theme.MOBILITY_LICENCE,
    Theme.MOBILITY_VEHICLE,
    Theme.MOBILITY_TRANSPORT,
    Theme.MOBILITY_TRAVEL,
)


class InstitutionKind(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    STATE = "etat", "État"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "Intercommunalité"
    COMMUNE = "commune", "Commune"
    CAF = "caf", "CAF"
    MSA = "msa", "MSA"
    ACTION_LOGEMENT = "action_logement", "Action Logement"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    OTHER = "other", "Autre organisme"


class Periodicity(models.TextChoices):
    ONE_OFF = "one_off", "ponctuelle"
    PER_TRIP = "per_trip", "par déplacement"
    MONTHLY = "monthly", "mensuelle"
    YEARLY = "yearly", "annuelle"
    PER_DAY = "per_day", "par jour"
    OTHER = "other", "autre"


class RuleKind(models.TextChoices):
    OPENFISCA = "openfisca", "OpenFisca (variable calculée)"
    DECLARATIVE = "declarative", "Conditions déclaratives (âge, statut, territoire…)"
    INFORMATION = "information", "Information seulement (conditions non vérifiables automatiquement)"


class Source(models.TextChoices):
    CATALOGUE = "catalogue", "Catalogue du projet (src/aids/catalogue)"
    AIDES_JEUNES = "aides_jeunes", "Catalogue aides-jeunes (1jeune1solution)"
    MANUAL = "manual", "Saisie dans l'application"


class Aid(models.Model):
    # A stable, readable identifier: it is what the CLI, the API, aid requests and the tests refer to.
    id = models.SlugField("identifiant", max_length=120, primary_key=True)
    label = models.CharField("intitulé", max_length=250)
    institution = models.CharField("organisme", max_length=200)
    institution_kind = models.CharField(
        "type d'organisme", max_length=30, choices=InstitutionKind.choices, default=InstitutionKind.OTHER
    )
    # Territory where the aid applies; all lists empty means the whole country.
    region_codes = models.JSONField("régions (codes INSEE)", default=list, blank=True)
    departement_codes = models.JSONField("départements (codes INSEE)", default=list, blank=True)
    epci_codes = models.JSONField("EPCI (SIREN)", default=list, blank=True)
    commune_codes = models.JSONField("communes (codes INSEE)", default=list, blank=True)
    theme = models.CharField("frein levé", max_length=30, choices=Theme.choices)
    description = models.TextField("description", blank=True)
    conditions = models.JSONField("conditions (lisibles)", default=list, blank=True)  # list of sentences
    rule_kind = models.CharField(
        "règle de calcul", max_length=20, choices=RuleKind.choices, default=RuleKind.INFORMATION
    )
    # The variable of OpenFisca-France or of openfisca_reseau_emploi that computes the amount (0 = not eligible).
    openfisca_variable = models.CharField("variable OpenFisca", max_length=120, blank=True)
    # Declarative conditions, see aids.engine.declarative: [{"type": "age", "operator": ">=", "value": 18}, …]
    declarative_conditions = models.JSONField("conditions déclaratives", default=list, blank=True)
    amount_text = models.CharField("montant ou formule", max_length=500, blank=True)
    amount_max = models.DecimalField(
        "montant maximum (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    periodicity = models.CharField(
        "périodicité", max_length=20, choices=Periodicity.choices, default=Periodicity.ONE_OFF
    )
    how_to_apply = models.TextField("comment la demander", blank=True)
    teleservice_url = models.URLField("téléservice", max_length=500, blank=True)
    instructed_by = models.CharField("instruite par", max_length=250, blank=True)
    documents = models.JSONField("pièces à fournir", default=list, blank=True)  # list of sentences
    non_cumulable_with = models.JSONField("non cumulable avec (identifiants)", default=list, blank=True)
    cumulation_note = models.TextField("règles de cumul", blank=True)
    valid_from = models.DateField("en vigueur depuis", null=True, blank=True)
    valid_until = models.DateField("en vigueur jusqu'au", null=True, blank=True)
    reference_urls = models.JSONField("références officielles (URL)", default=list, blank=True)
    verified_on = models.DateField("dernière vérification", null=True, blank=True)
    sources_note = models.TextField("désaccords entre sources et choix retenu", blank=True)
    source = models.CharField("provenance", max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_file = models.CharField("fichier source", max_length=300, blank=True)
    is_published = models.BooleanField("publiée", default=True)
    # Set when someone edits the aid in the app: `sync-aids` then leaves it alone (and says so).
    edited_in_app = models.BooleanField("modifiée dans l'application", default=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "aide"
        verbose_name_plural = "aides"
        ordering = ["theme", "label"]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("aids:detail", args=[self.id])

    @property
    def is_national(self) -> bool:
        return not (self.region_codes or self.departement_codes or self.epci_codes or self.commune_codes)
