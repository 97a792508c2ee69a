"""The shared company register (SIREN / SIRET), the partners' contacts with companies, and the common calendar of
recruitment operations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def validate_siren(value: str) -> None:
    if not stdnum_siren.is_valid(value):
        raise ValidationError(
            "« %(value)s » n'est pas un SIREN valide (9 chiffres, clé de contrôle).", params={"value": value}
        )


def validate_siret(value: str) -> None:
    # python-stdnum accepts La Poste's establishments (SIREN 356000000), whose SIRET fails the Luhn check.
    if not stdnum_siret.is_valid(value):
        raise ValidationError(
            "« %(value)s » n'est pas un SIRET valide (14 chiffres, clé de contrôle).", params={"value": value}
        )


class SizeBand(models.TextChoices):
    """INSEE `tranche d'effectifs` codes."""

    NN = "NN", "Non employeur ou effectif inconnu"
    B00 = "00", "0 salarié"
    B01 = "01", "1 ou 2 salariés"
    B02 = "02", "3 à 5 salariés"
    B03 = "03", "6 à 9 salariés"
    B11 = "11", "10 à 19 salariés"
    B12 = "12", "20 à 49 salariés"
    B21 = "21", "50 à 99 salariés"
    B22 = "22", "100 à 199 salariés"
    B31 = "31", "200 à 249 salariés"
    B32 = "32", "250 à 499 salariés"
    B41 = "41", "500 à 999 salariés"
    B42 = "42", "1 000 à 1 999 salariés"
    B51 = "51", "2 000 à 4 999 salariés"
    B52 = "52", "5 000 à 9 999 salariés"
    B53 = "53", "10 000 salariés et plus"


class Company(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True, validators=[validate_siren])
    name = models.CharField("dénomination", max_length=300)
    naf = models.CharField("activité principale (NAF rév. 2)", max_length=6, blank=True)
    naf_version = models.CharField("nomenclature NAF", max_length=12, default="NAFRev2")  # NAF 2025 from 2027
    size_band = models.CharField("tranche d'effectifs", max_length=2, choices=SizeBand.choices, blank=True)
    opco = models.CharField("OPCO", max_length=100, blank=True)

    class Meta:
        verbose_name = "entreprise"
        verbose_name_plural = "entreprises"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Establishment(models.Model):
    siret = models.CharField("SIRET", max_length=14, primary_key=True, validators=[validate_siret])
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="establishments")
    name = models.CharField("nom", max_length=300)
    brand = models.CharField("enseigne", max_length=300, blank=True)
    search_name = models.CharField(max_length=300, db_index=True, editable=False)
    naf = models.CharField("activité (NAF rév. 2)", max_length=6, blank=True, db_index=True)
    size_band = models.CharField("tranche d'effectifs", max_length=2, choices=SizeBand.choices, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", null=True, blank=True, on_delete=models.SET_NULL, related_name="establishments"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_head_office = models.BooleanField("siège", default=False)
    is_active = models.BooleanField("en activité", default=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        verbose_name="fusionné dans",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["name"]

    def __str__(self):
        return f"{self.brand or self.name} ({self.commune.name if self.commune_id else self.postal_code})"

    def get_absolute_url(self):
        return reverse("companies:establishment", args=[self.siret])


class Referent(models.Model):
    """The partner that coordinates the network's contacts with a company on a territory (a basin, else all)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="referents")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    bassin = models.ForeignKey(
        "territories.Bassin", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateField(auto_now_add=True)

    class Meta:
        verbose_name = "partenaire référent"
        verbose_name_plural = "partenaires référents"
        constraints = [
            models.UniqueConstraint(fields=["company", "bassin"], name="one_referent_per_territory")
        ]

    def __str__(self):
        return f"{self.organisation} pour {self.company}"


class Contact(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", "Visite"
        CALL = "call", "Appel"
        EMAIL = "email", "Courriel"
        EVENT = "event", "Rencontre lors d'une opération"

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    date = models.DateField("date")
    purpose = models.CharField("objet", max_length=300)
    needs = models.TextField("besoins exprimés", blank=True)
    follow_up = models.TextField("suite à donner", blank=True)
    consent_to_contact = models.BooleanField(
        "l'entreprise accepte d'être recontactée par le réseau", default=True
    )
    coordinated_with_referent = models.BooleanField("coordonné avec le partenaire référent", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y} ({self.organisation})"


class Merge(models.Model):
    """A duplicate establishment merged into another, with who did it and why (kept for history)."""

    duplicate_siret = models.CharField(max_length=14)
    kept = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="merges")
    reason = models.CharField("motif", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    moved = models.JSONField(default=dict)  # what was moved: {"contacts": n, "offers": n, …}

    def __str__(self):
        return f"{self.duplicate_siret} → {self.kept_id}"


class EmployerLink(models.Model):
    """An offer's employer linked to an establishment of the register, by SIRET or by name + commune."""

    class Method(models.TextChoices):
        SIRET = "siret", "SIRET de l'offre"
        NAME = "name", "Nom et commune"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmé"
        TO_REVIEW = "to_review", "À vérifier"
        REJECTED = "rejected", "Rejeté"

    offer = models.OneToOneField("offers.Offer", on_delete=models.CASCADE, related_name="employer_link")
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="offer_links")
    method = models.CharField(max_length=10, choices=Method.choices)
    score = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"offre {self.offer_id} → {self.establishment_id}"


class Operation(models.Model):
    class Kind(models.TextChoices):
        JOB_DATING = "job_dating", "Job dating"
        JOB_FAIR = "job_fair", "Forum ou salon de l'emploi"
        INFORMATION = "information", "Réunion d'information collective"
        COMPANY_VISIT = "company_visit", "Visite d'entreprise"
        SIMULATION = "simulation", "Recrutement par simulation (MRS)"
        IMMERSION = "immersion", "Journées d'immersion"

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = models.CharField("intitulé", max_length=300)
    description = models.TextField("description", blank=True)
    organiser = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="organisateur"
    )
    co_organisers = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name="co-organisateurs"
    )
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("adresse", max_length=300, blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    naf_sectors = models.JSONField("secteurs (divisions NAF)", default=list, blank=True)
    fiches = models.ManyToManyField("rome.Fiche", blank=True, verbose_name="métiers (ROME)")
    target_public = models.CharField("public visé", max_length=300, blank=True)
    company_capacity = models.PositiveIntegerField("places entreprises", null=True, blank=True)
    people_capacity = models.PositiveIntegerField("places candidats", null=True, blank=True)
    is_public = models.BooleanField("publiée dans l'agenda public", default=True)
    people_met = models.PositiveIntegerField("personnes reçues", null=True, blank=True)
    interviews = models.PositiveIntegerField("entretiens", null=True, blank=True)
    hires = models.PositiveIntegerField("recrutements", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "opération de recrutement"
        verbose_name_plural = "opérations de recrutement"
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("companies:operation", args=[self.pk])


class OperationCompany(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="companies")
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="operations")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "establishment"], name="unique_operation_company")
        ]

    def __str__(self):
        return f"{self.establishment_id} à l'opération {self.operation_id}"


class OperationParticipant(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="participants")
    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.CASCADE, related_name="operations")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    hired = models.BooleanField("recruté(e)", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "jobseeker"], name="unique_operation_participant")
        ]

    def __str__(self):
        return f"personne {self.jobseeker_id} à l'opération {self.operation_id}"
