"""The shared territorial diagnosis: imported labour-market figures (each tied to its source and vintage),
the indicator table computed from them, and the joint action lines the committees draft from it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.models import Organisation


class Dataset(models.Model):
    """One vintage of one source file: every imported figure points to it, and every page shows it."""

    code = models.SlugField("code", max_length=60, unique=True)
    title = models.CharField("intitulé", max_length=200)
    producer = models.CharField("producteur", max_length=200)
    vintage = models.CharField("millésime", max_length=40)
    reference_date = models.DateField("date de référence", null=True, blank=True)
    licence = models.CharField("licence", max_length=100, blank=True)
    url = models.URLField("adresse de la source", blank=True)
    file_name = models.CharField("fichier", max_length=200, blank=True)
    row_count = models.PositiveIntegerField("lignes lues", default=0)
    note = models.TextField("précautions", blank=True)

    class Meta:
        verbose_name = "jeu de données"
        verbose_name_plural = "jeux de données"
        ordering = ["code"]

    def __str__(self):
        return f"{self.title} ({self.vintage})"

    @property
    def citation(self) -> str:
        return f"{self.producer}, {self.title}, {self.vintage}"


class FapOccupation(models.Model):
    """A family of occupations (FAP) in the 2009 or 2021 nomenclature. BMO 2025 uses FAP-2021 codes; the
    ROME v3 table and the list of occupations in tension use FAP-2009. `equivalent_2009` bridges them."""

    class Version(models.TextChoices):
        FAP2009 = "2009", "FAP 2009"
        FAP2021 = "2021", "FAP 2021 (BMO)"

    key = models.CharField(max_length=12, unique=True)  # "2009:A0Z40"
    version = models.CharField("version", max_length=4, choices=Version.choices)
    code = models.CharField("code", max_length=6, db_index=True)
    label = models.CharField("intitulé", max_length=250)
    family = models.CharField("famille", max_length=200, blank=True)
    equivalent_2009 = models.CharField("équivalent FAP 2009", max_length=6, blank=True)
    equivalence_score = models.PositiveSmallIntegerField("score de l'équivalence", null=True, blank=True)

    class Meta:
        verbose_name = "famille professionnelle (FAP)"
        verbose_name_plural = "familles professionnelles (FAP)"
        ordering = ["version", "code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class RomeFapLink(models.Model):
    """ROME v3 ↔ FAP-2009 (225 families), from the DARES correspondence table."""

    key = models.CharField(max_length=20, unique=True)  # "A1416:A0Z40"
    rome_code = models.CharField("code ROME v3", max_length=5, db_index=True)
    fap_code = models.CharField("code FAP 2009", max_length=6, db_index=True)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "correspondance ROME ↔ FAP"
        verbose_name_plural = "correspondances ROME ↔ FAP"

    def __str__(self):
        return self.key


class HiringProjects(models.Model):
    """BMO survey: recruitment projects of one occupation (FAP-2021) in one basin. None = statistical secret."""

    key = models.CharField(max_length=40, unique=True)  # "bmo-2025:A0X40:3201"
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="hiring_projects")
    fap_code = models.CharField("code métier BMO", max_length=6, db_index=True)
    region_code = models.CharField("région", max_length=3, db_index=True)
    departement_code = models.CharField("département", max_length=3)
    bassin_code = models.CharField("bassin", max_length=4, db_index=True)
    bassin_name = models.CharField("nom du bassin", max_length=100)
    projects = models.PositiveIntegerField("projets de recrutement", null=True)
    difficult = models.PositiveIntegerField("projets difficiles", null=True)
    seasonal = models.PositiveIntegerField("projets saisonniers", null=True)

    class Meta:
        verbose_name = "projets de recrutement (BMO)"
        verbose_name_plural = "projets de recrutement (BMO)"

    def __str__(self):
        return self.key


class TensionFigure(models.Model):
    """Offers, job seekers and the official tension class with its components, by ROME v3 × basin."""

    key = models.CharField(max_length=40, unique=True)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tension_figures")
    rome_code = models.CharField("code ROME v3", max_length=5, db_index=True)
    bassin_code = models.CharField("bassin", max_length=4, db_index=True)
    offers = models.FloatField("offres d'emploi")
    job_seekers = models.FloatField("demandeurs d'emploi (A, B, C)")
    tension_class = models.PositiveSmallIntegerField("classe de tension officielle", null=True)
    hiring_intensity = models.PositiveSmallIntegerField("intensité d'embauches", null=True)
    labour_shortage = models.PositiveSmallIntegerField("manque de main-d'œuvre", null=True)
    non_durable = models.PositiveSmallIntegerField("non-durabilité de l'emploi", null=True)
    working_conditions = models.PositiveSmallIntegerField("conditions de travail", null=True)
    geographic_mismatch = models.PositiveSmallIntegerField("inadéquation géographique", null=True)
    training_link = models.PositiveSmallIntegerField("lien formation-emploi", null=True)

    class Meta:
        verbose_name = "indicateur de tension (ROME × bassin)"
        verbose_name_plural = "indicateurs de tension (ROME × bassin)"

    def __str__(self):
        return self.key


class OfferCount(models.Model):
    """Open offers on one date, by commune × ROME v3 (the national file, kept for the configured region)."""

    key = models.CharField(max_length=40, unique=True)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="offer_counts")
    rome_code = models.CharField("code ROME v3", max_length=5, db_index=True)
    commune_code = models.CharField("commune", max_length=5, db_index=True)
    offers = models.PositiveIntegerField("offres ouvertes")

    class Meta:
        verbose_name = "offres ouvertes (commune × ROME)"
        verbose_name_plural = "offres ouvertes (commune × ROME)"

    def __str__(self):
        return self.key


class TensionListEntry(models.Model):
    """An occupation (FAP-2009) on the official regional list of occupations in tension."""

    key = models.CharField(max_length=80, unique=True)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tension_list")
    region_name = models.CharField("région", max_length=100)
    region_code = models.CharField(
        "code région", max_length=3, blank=True, db_index=True
    )  # "" = France entière
    fap_code = models.CharField("code FAP 2009", max_length=6, db_index=True)
    label = models.CharField("famille professionnelle", max_length=250)

    class Meta:
        verbose_name = "métier en tension (liste officielle)"
        verbose_name_plural = "métiers en tension (liste officielle)"

    def __str__(self):
        return self.key


class TensionSeries(models.Model):
    """DARES national tension indicator (z-score) of one FAP-2009 family for one year (2011-2019)."""

    key = models.CharField(max_length=20, unique=True)  # "A0Z40:2019"
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tension_series")
    fap_code = models.CharField("code FAP", max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField("année")
    zscore = models.FloatField("tension (écart à la moyenne, en écarts types)")

    class Meta:
        verbose_name = "série de tension DARES"
        verbose_name_plural = "séries de tension DARES"
        ordering = ["fap_code", "year"]

    def __str__(self):
        return self.key


class OccupationKind(models.TextChoices):
    ROME3 = "rome3", "ROME v3"
    FAP2009 = "fap2009", "FAP 2009"
    FAP2021 = "fap2021", "Métier BMO (FAP 2021)"


class TerritoryKind(models.TextChoices):
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    BASSIN = "bassin", "Bassin d'emploi"
    ZONE_EMPLOI = "zone_emploi", "Zone d'emploi"


class Indicator(models.Model):
    """One occupation × one territory, recomputed from the imported figures (`services.recompute_indicators`).

    Shares and ratios are only filled when their denominator reaches the publication threshold; `significant`
    says whether the composite could be published."""

    occupation_kind = models.CharField(max_length=8, choices=OccupationKind.choices)
    occupation_code = models.CharField(max_length=6)
    occupation_label = models.CharField(max_length=250)
    territory_kind = models.CharField(max_length=12, choices=TerritoryKind.choices)
    territory_code = models.CharField(max_length=5)
    territory_label = models.CharField(max_length=120)
    offers = models.FloatField("offres (2021)", null=True)
    open_offers = models.PositiveIntegerField("offres ouvertes (instantané)", null=True)
    job_seekers = models.FloatField("demandeurs d'emploi", null=True)
    offers_per_job_seeker = models.FloatField("offres par demandeur", null=True)
    hiring_projects = models.FloatField("projets de recrutement", null=True)
    difficult_projects = models.FloatField("projets difficiles", null=True)
    seasonal_projects = models.FloatField("projets saisonniers", null=True)
    share_difficult = models.FloatField("part difficile", null=True)
    share_seasonal = models.FloatField("part saisonnière", null=True)
    pool_offers = models.PositiveIntegerField("offres de la plateforme", null=True)
    time_to_fill_days = models.FloatField("délai de pourvoi (jours)", null=True)
    share_without_candidates = models.FloatField("part des offres sans candidat", null=True)
    tension_score = models.FloatField("indicateur composite de tension", null=True)
    tension_class = models.PositiveSmallIntegerField("classe de tension (1-5)", null=True)
    official_class = models.PositiveSmallIntegerField("classe officielle 2021", null=True)
    in_official_list = models.BooleanField("sur la liste officielle des métiers en tension", default=False)
    training_places = models.PositiveIntegerField("places de formation", default=0)
    need_estimate = models.FloatField("besoin estimé", null=True)
    coverage_gap = models.FloatField("écart besoin - places", null=True)
    significant = models.BooleanField("significatif", default=False)

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        indexes = [
            models.Index(fields=["territory_kind", "territory_code", "occupation_kind"]),
            models.Index(fields=["occupation_kind", "occupation_code"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation_kind", "occupation_code", "territory_kind", "territory_code"],
                name="unique_indicator_cell",
            )
        ]

    def __str__(self):
        return f"{self.occupation_code} × {self.territory_label}"


class ActionLine(models.Model):
    """A joint action line drafted from the diagnosis and followed by the committees (governance links to it).

    `status` is the stable field other apps read; its values never change meaning."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PROPOSED = "proposed", "Proposée"
        ADOPTED = "adopted", "Adoptée"
        IN_PROGRESS = "in_progress", "En cours"
        DONE = "done", "Réalisée"
        ABANDONED = "abandoned", "Abandonnée"

    class TargetIndicator(models.TextChoices):
        TRAINING_PLACES = "training_places", "Places de formation ouvertes"
        TRAINEES = "trainees", "Personnes entrées en formation"
        HIRES = "hires", "Recrutements réalisés"
        SHARE_DIFFICULT = "share_difficult", "Part des projets de recrutement difficiles (%)"
        OFFERS_WITHOUT_CANDIDATES = "offers_without_candidates", "Offres sans candidat"
        OTHER = "other", "Autre (préciser dans la description)"

    title = models.CharField("intitulé", max_length=250)
    description = models.TextField("description", blank=True)
    occupation_kind = models.CharField("nomenclature", max_length=8, choices=OccupationKind.choices)
    occupation_code = models.CharField("code métier", max_length=6)
    occupation_label = models.CharField("métier", max_length=250)
    territory_kind = models.CharField("niveau territorial", max_length=12, choices=TerritoryKind.choices)
    territory_code = models.CharField("code territoire", max_length=5)
    territory_label = models.CharField("territoire", max_length=120)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_action_lines", verbose_name="pilote"
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_action_lines", verbose_name="partenaires"
    )
    funding = models.CharField("financement", max_length=250, blank=True)
    deadline = models.DateField("échéance")
    target_indicator = models.CharField("indicateur cible", max_length=30, choices=TargetIndicator.choices)
    target_value = models.DecimalField("valeur cible", max_digits=12, decimal_places=2)
    baseline_value = models.DecimalField(
        "valeur de départ", max_digits=12, decimal_places=2, null=True, blank=True
    )
    gap_snapshot = models.JSONField("constat de départ", default=dict, blank=True)
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_example = models.BooleanField("exemple de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "axe d'action commun"
        verbose_name_plural = "axes d'action communs"
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("diagnosis:action", args=[self.pk])
