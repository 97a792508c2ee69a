"""The territories the network works on: administrative (région, département, EPCI, commune) and
labour-market zonings (INSEE zones d'emploi 2020, France Travail employment basins used by the BMO survey)."""

from django.db import models
from django.urls import reverse


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        verbose_name_plural = "régions"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("territories:departement", args=[self.code])


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature juridique", max_length=10, blank=True)  # CC, CA, CU, METRO, MET69

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:epci", args=[self.siren])


class ZoneEmploi(models.Model):
    """INSEE zone d'emploi 2020 (geography of 1 January 2022)."""

    code = models.CharField("code", max_length=4, primary_key=True)
    name = models.CharField("libellé", max_length=100)

    class Meta:
        verbose_name = "zone d'emploi"
        verbose_name_plural = "zones d'emploi"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("territories:zone_emploi", args=[self.code])


class Bassin(models.Model):
    """France Travail employment basin (bassin BMO, 2021 zoning): the unit of the BMO survey."""

    code = models.CharField("code", max_length=4, primary_key=True)
    name = models.CharField("libellé", max_length=100)

    class Meta:
        verbose_name = "bassin d'emploi"
        verbose_name_plural = "bassins d'emploi"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("territories:bassin", args=[self.code])


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)  # core.text.fold(name)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.SET_NULL, related_name="communes")
    zone_emploi = models.ForeignKey(
        ZoneEmploi, null=True, blank=True, on_delete=models.SET_NULL, related_name="communes"
    )
    bassin = models.ForeignKey(
        Bassin, null=True, blank=True, on_delete=models.SET_NULL, related_name="communes"
    )
    siren = models.CharField("SIREN", max_length=9, blank=True)
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True)  # space-separated
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("territories:commune", args=[self.code])

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


class CommuneAlias(models.Model):
    """Another INSEE code designating (part of) a current commune: a Paris/Lyon/Marseille arrondissement, a
    commune déléguée or associée, or a commune merged away since. Lets imports resolve codes found in older
    or finer-grained data (job offers carry arrondissement codes, statistics carry pre-merger codes)."""

    class Kind(models.TextChoices):
        ARRONDISSEMENT = "arrondissement", "arrondissement municipal"
        DELEGUEE = "deleguee", "commune déléguée"
        ASSOCIEE = "associee", "commune associée"
        FORMER = "former", "ancienne commune"

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "ancien code ou code rattaché"
        verbose_name_plural = "anciens codes et codes rattachés"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} → {self.commune_id}"
