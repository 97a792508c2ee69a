"""The regional pool of job offers: sources and their import runs, publications (one per source record, the raw
payload kept), offers (one per group of publications of the same job, with its canonical fields) and the ROME
review list.

Layers: the raw payload (`Publication.raw`) is the staging layer, the normalised columns of `Publication` the
normalised layer, `Offer` the deduplicated layer.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from offers.canonical import CONTRACT_LABELS, SALARY_PERIOD_LABELS, WORKING_TIME_LABELS

CONTRACT_CHOICES = list(CONTRACT_LABELS.items())
WORKING_TIME_CHOICES = list(WORKING_TIME_LABELS.items())
SALARY_PERIOD_CHOICES = list(SALARY_PERIOD_LABELS.items())


class Source(models.Model):
    class Kind(models.TextChoices):
        FRANCE_TRAVAIL_API = "francetravail_api", "API France Travail « Offres d'emploi v2 »"
        FRANCE_TRAVAIL = "francetravail", "Fichier JSON France Travail"
        JOBPOSTING = "jobposting", "schema.org JobPosting (JSON-LD)"
        CSV = "csv", "Export CSV"

    name = models.SlugField("nom", max_length=60, unique=True)
    label = models.CharField("opérateur", max_length=200, blank=True)
    kind = models.CharField("format", max_length=30, choices=Kind.choices)
    owner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offer_sources",
        verbose_name="organisation propriétaire",
    )
    url = models.URLField("site", blank=True)
    mapping = models.JSONField("correspondance des colonnes (CSV)", default=dict, blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "source d'offres"
        verbose_name_plural = "sources d'offres"
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("offers:source", args=[self.name])

    @property
    def display_name(self) -> str:
        return self.label or self.name


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "En cours"
        SUCCEEDED = "succeeded", "Réussi"
        PARTIAL = "partial", "Réussi avec des rejets"
        FAILED = "failed", "Échoué"
        INTERRUPTED = "interrupted", "Interrompu"  # the process died mid-run (offers.runs)

    REJECTED_KEPT = 2000  # rejected lines kept in the report; the count is always exact

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField("début", auto_now_add=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    file_name = models.CharField("fichier", max_length=300, blank=True)
    snapshot = models.BooleanField("instantané complet", default=False)
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.RUNNING)
    read_count = models.PositiveIntegerField("lus", default=0)
    created_count = models.PositiveIntegerField("créés", default=0)
    updated_count = models.PositiveIntegerField("mis à jour", default=0)
    unchanged_count = models.PositiveIntegerField("inchangés", default=0)
    rejected_count = models.PositiveIntegerField("rejetés", default=0)
    closed_count = models.PositiveIntegerField("clôturés", default=0)
    rejected = models.JSONField("lignes rejetées", default=list, blank=True)  # [{"line", "reason"}]
    message = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Which process runs the import ("host:pid") and when it last committed a batch: tells a dead run from a slow one.
    worker = models.CharField("processus", max_length=200, blank=True)
    heartbeat_at = models.DateTimeField("dernier lot enregistré", null=True, blank=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.source} — {self.started_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("offers:run", args=[self.pk])


class RomeOrigin(models.TextChoices):
    SOURCE = "source", "Code de la source"
    MODEL = "model", "Modèle"
    ADVISOR = "advisor", "Conseiller"


class OfferFields(models.Model):
    """The normalised fields shared by a publication and its group's canonical offer."""

    title = models.CharField("intitulé", max_length=300)
    description = models.TextField("description", blank=True)
    employer_name = models.CharField("employeur", max_length=300, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    siret_valid = models.BooleanField("SIRET valide", null=True)
    naf = models.CharField("NAF", max_length=10, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    contract_type = models.CharField("contrat", max_length=20, choices=CONTRACT_CHOICES, blank=True)
    contract_duration_months = models.FloatField("durée (mois)", null=True, blank=True)
    working_time = models.CharField(
        "temps de travail", max_length=10, choices=WORKING_TIME_CHOICES, blank=True
    )
    weekly_hours = models.FloatField("heures par semaine", null=True, blank=True)
    salary_min = models.FloatField(null=True, blank=True)
    salary_max = models.FloatField(null=True, blank=True)
    salary_period = models.CharField(max_length=10, choices=SALARY_PERIOD_CHOICES, blank=True)
    salary_text = models.CharField("salaire", max_length=500, blank=True)
    experience = models.CharField("expérience", max_length=300, blank=True)
    experience_months_min = models.PositiveIntegerField(null=True, blank=True)
    qualification = models.CharField("qualification", max_length=200, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    updated_at = models.DateTimeField("actualisée le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    url = models.URLField("lien", max_length=1000, blank=True)
    rome_code = models.CharField("code ROME", max_length=5, blank=True)
    appellation = models.ForeignKey(
        "rome.Appellation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    positions = models.PositiveIntegerField("postes", default=1)

    class Meta:
        abstract = True


class Offer(OfferFields):
    """One job: the canonical offer of a group of publications (best-filled fields of its publications)."""

    class Status(models.TextChoices):
        OPEN = "open", "Ouverte"
        CLOSED = "closed", "Clôturée"

    fiche = models.ForeignKey(
        "rome.Fiche", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    rome_confidence = models.FloatField("confiance ROME", null=True, blank=True)
    departement_code = models.CharField(max_length=3, blank=True)  # denormalised for filters and facets
    bassin_code = models.CharField(max_length=4, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.OPEN)
    publication_count = models.PositiveIntegerField("publications", default=0)
    operators = models.JSONField("opérateurs", default=list)  # source labels, in first-seen order
    source_names = models.CharField(max_length=500, blank=True)  # " name1 name2 " for the source filter
    search_text = models.TextField(blank=True, editable=False)  # folded, lightly stemmed (offers.search)
    rebuilt_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "offre"
        verbose_name_plural = "offres"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="offer_status_published"),
            models.Index(fields=["status", "departement_code"], name="offer_status_dep"),
            models.Index(fields=["status", "bassin_code"], name="offer_status_bassin"),
            models.Index(fields=["status", "contract_type"], name="offer_status_contract"),
            models.Index(fields=["status", "rome_code"], name="offer_status_rome"),
            models.Index(fields=["status", "commune"], name="offer_status_commune"),
            # Covering index for the radius searches: count and facets read it without touching the rows
            # (which carry descriptions): 185 ms -> 10 ms for 40,000 offers within 30 km on SQLite.
            models.Index(
                fields=[
                    "latitude",
                    "longitude",
                    "status",
                    "contract_type",
                    "departement_code",
                    "bassin_code",
                    "rome_code",
                    "published_at",
                    "source_names",
                ],
                name="offer_geo_facets",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("offers:detail", args=[self.pk])


class Publication(OfferFields):
    """One record of one source: the same job published elsewhere is another publication of the same offer."""

    # No index of its own: the unique (source, external_id) index serves it. With both, the planner took the
    # source's index to look records up by id while a source's first import grew, scanning all its rows.
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="publications", db_index=False)
    external_id = models.CharField("identifiant dans la source", max_length=200)  # the record's source_id
    # The record as received, as JSON text: kept, never queried (what the pool reads is normalised into columns),
    # so the server does not parse it into jsonb (0.009 ms per publication written).
    raw = models.TextField("données reçues (JSON)")
    content_hash = models.CharField(max_length=32)
    description_html = models.TextField(blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    commune_name = models.CharField("commune (telle que reçue)", max_length=200, blank=True)
    commune_code = models.CharField("code commune (tel que reçu)", max_length=5, blank=True)
    contract_label = models.CharField("contrat (tel que reçu)", max_length=200, blank=True)
    appellation_label = models.CharField("appellation (telle que reçue)", max_length=300, blank=True)
    source_rome_code = models.CharField("code ROME de la source", max_length=5, blank=True)
    model_rome_code = models.CharField("code ROME du modèle", max_length=5, blank=True)
    rome_confidence = models.FloatField("confiance ROME", null=True, blank=True)
    rome_origin = models.CharField(max_length=10, choices=RomeOrigin.choices, blank=True)
    rome_disagreement = models.BooleanField("désaccord source / modèle", default=False)
    lacks_candidates = models.BooleanField("manque de candidats (selon la source)", null=True, blank=True)
    first_seen_at = models.DateTimeField("vue la première fois", auto_now_add=True)
    last_seen_at = models.DateTimeField("vue la dernière fois")
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="publications"
    )
    dedup_signals = models.JSONField("signaux de regroupement", default=dict, blank=True)

    class Meta:
        verbose_name = "publication"
        verbose_name_plural = "publications"
        ordering = ["source", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="unique_publication_source_id")
        ]
        indexes = [
            models.Index(fields=["employer_name"], name="publication_employer"),
        ]

    def __str__(self):
        return f"{self.source.name}:{self.external_id}"


class DedupBlock(models.Model):
    """A blocking key of a publication (place × main title word, the deduplication's blocks): an import finds
    the publications a batch could duplicate through this index, whatever the size of the pool. `title` (the
    folded title's words, sorted), `employer` and `siret` let it keep only the block members whose title is close
    enough and whose employer does not rule them out before reading any publication."""

    key = models.CharField(max_length=150)
    title = models.CharField(max_length=300, blank=True)
    employer = models.CharField(max_length=300, blank=True)  # folded, without legal forms (dedup.keys)
    siret = models.CharField(max_length=14, blank=True)  # a valid SIRET only
    # No constraint in the database: these rows are an index the application derives from its publications
    # (rebuilt by `offers rebuild-clusters`), 4 per publication, and checking each against the publications cost
    # the server 0.02 ms per offer imported. Deleting a publication through Django still deletes its keys.
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="dedup_blocks", db_constraint=False
    )

    class Meta:
        verbose_name = "clé de regroupement"
        verbose_name_plural = "clés de regroupement"
        # Covering, and in the order an import reads it: a block's distinct titles, then the members of the
        # titles that pass the title cut (members scattered in the table cost a page each: 300 ms for 24,572
        # members of a batch's blocks on the PostgreSQL million, from cache).
        indexes = [
            models.Index(
                fields=["key", "title", "employer", "siret", "publication"], name="dedupblock_members"
            )
        ]

    def __str__(self):
        return self.key


class RomeReview(models.Model):
    """A publication whose ROME code is uncertain; the advisor's choice is kept as training data."""

    class Status(models.TextChoices):
        PENDING = "pending", "À revoir"
        DONE = "done", "Revu"

    publication = models.OneToOneField(Publication, on_delete=models.CASCADE, related_name="rome_review")
    suggested_code = models.CharField("code proposé", max_length=5, blank=True)
    confidence = models.FloatField("confiance", null=True, blank=True)
    candidates = models.JSONField("candidats", default=list, blank=True)  # [{"rome_code", "score"}]
    reason = models.CharField("motif", max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    chosen_code = models.CharField("code retenu", max_length=5, blank=True)
    chosen_appellation = models.ForeignKey(
        "rome.Appellation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "offre à coder (ROME)"
        verbose_name_plural = "offres à coder (ROME)"
        ordering = ["status", "confidence", "pk"]
        indexes = [models.Index(fields=["status", "confidence"], name="romereview_status_conf")]

    def __str__(self):
        return f"{self.publication} ({self.get_status_display()})"


class SearchChange(models.Model):
    """An offer inserted, updated or deleted, logged by database triggers (migration 0012) so the search index
    (offers.search_index) knows which offers changed since it was built, whatever code wrote them."""

    offer_id = models.BigIntegerField()
    # PostgreSQL: the writing transaction (pg_current_xact_id), to tell which changes a snapshot could not see.
    # SQLite has one writer at a time, so there the id order is the commit order and this stays empty.
    txid = models.BigIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["txid"], name="searchchange_txid")]

    def __str__(self):
        return f"offer {self.offer_id} changed (log {self.pk})"


class SearchDatabase(models.Model):
    """One row, made by migration 0012: which database a saved search index was built from (a recreated
    database, such as a test database, starts its change log again from 1)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)

    def __str__(self):
        return str(self.uuid)
