"""Training supply: sessions (imported from LHEO/Intercarif XML or CSV, or entered by hand) and apprenticeship
places and contracts (CSV). The diagnosis compares the places leading to an occupation with the hiring need."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from territories.models import Commune


def split_codes(value: str) -> list[str]:
    return [code for code in value.replace(",", " ").replace(";", " ").split() if code]


class TrainingSession(models.Model):
    class Source(models.TextChoices):
        LHEO = "lheo", "LHEO / Intercarif"
        CSV = "csv", "Fichier CSV"
        MANUAL = "manual", "Saisie manuelle"

    key = models.CharField(max_length=260, unique=True, editable=False)  # "<source>:<external id>"
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    external_id = models.CharField("identifiant dans la source", max_length=250)
    title = models.CharField("intitulé de la formation", max_length=300)
    provider_name = models.CharField("organisme de formation", max_length=250, blank=True)
    provider_siret = models.CharField("SIRET de l'organisme", max_length=14, blank=True)
    certifying = models.BooleanField("certifiante", default=False)
    certification = models.CharField(
        "certification (RNCP, RS, CertifInfo)",
        max_length=250,
        blank=True,
        help_text="Par exemple « RNCP35830 » ou « CertifInfo 80735 ».",
    )
    formacodes = models.CharField("codes Formacode", max_length=250, blank=True)
    nsf_codes = models.CharField("codes NSF", max_length=100, blank=True)
    rome_codes = models.CharField(
        "codes ROME visés",
        max_length=250,
        blank=True,
        help_text="Séparés par des espaces, ex. « J1501 J1301 ».",
    )
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="commune"
    )
    commune_code = models.CharField("code commune (tel que reçu)", max_length=5, blank=True)
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    places = models.PositiveIntegerField("places", null=True, blank=True)
    funders = models.CharField("financeurs", max_length=250, blank=True)
    url = models.URLField("lien", max_length=500, blank=True)
    raw = models.JSONField("données reçues", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["start_date", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:session", args=[self.pk])

    @property
    def rome_code_list(self) -> list[str]:
        return split_codes(self.rome_codes)


class ApprenticeshipFigure(models.Model):
    """Apprenticeship places offered and contracts signed, by year × ROME × commune × diploma × provider."""

    key = models.CharField(max_length=300, unique=True, editable=False)
    year = models.PositiveSmallIntegerField("année")
    rome_code = models.CharField("code ROME", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    commune_code = models.CharField("code commune (tel que reçu)", max_length=5)
    diploma = models.CharField("diplôme préparé", max_length=200, blank=True)
    provider_name = models.CharField("CFA ou organisme", max_length=250, blank=True)
    places = models.PositiveIntegerField("places offertes", null=True)
    contracts = models.PositiveIntegerField("contrats signés", null=True)
    file_name = models.CharField("fichier", max_length=250, blank=True)

    class Meta:
        verbose_name = "apprentissage (places et contrats)"
        verbose_name_plural = "apprentissage (places et contrats)"
        ordering = ["-year", "rome_code"]

    def __str__(self):
        return f"{self.year} {self.rome_code} {self.commune_code}"
