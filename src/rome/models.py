"""France Travail's ROME 4.0 referential (Répertoire opérationnel des métiers et des emplois)."""

from django.db import models
from django.urls import reverse


class GrandDomaine(models.Model):
    code = models.CharField(max_length=1, primary_key=True)
    label = models.CharField("libellé", max_length=200)

    class Meta:
        verbose_name = "grand domaine"
        verbose_name_plural = "grands domaines"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class DomaineProfessionnel(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    label = models.CharField("libellé", max_length=200)
    grand_domaine = models.ForeignKey(GrandDomaine, on_delete=models.PROTECT, related_name="domaines")

    class Meta:
        verbose_name = "domaine professionnel"
        verbose_name_plural = "domaines professionnels"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class Fiche(models.Model):
    """A fiche métier. `parent_code` is its ROME v3 code, the level older statistics are published at."""

    code = models.CharField("code ROME", max_length=5, primary_key=True)
    code_ogr = models.PositiveIntegerField("code OGR", unique=True)
    label = models.CharField("intitulé", max_length=200)
    domaine = models.ForeignKey(DomaineProfessionnel, on_delete=models.PROTECT, related_name="fiches")
    parent_code = models.CharField("code ROME v3 parent", max_length=5, db_index=True)
    parent_label = models.CharField("intitulé ROME v3", max_length=200, blank=True)
    definition = models.TextField("définition", blank=True)
    access = models.TextField("accès à l'emploi", blank=True)
    regulated = models.BooleanField("emploi réglementé", default=False)
    executive = models.BooleanField("emploi cadre", default=False)
    transition_eco = models.CharField("transition écologique", max_length=100, blank=True)
    transition_num = models.CharField("transition numérique", max_length=100, blank=True)
    transition_demo = models.CharField("transition démographique", max_length=100, blank=True)
    mobilities = models.ManyToManyField(
        "self", through="Mobility", symmetrical=False, related_name="mobility_sources", blank=True
    )

    class Meta:
        verbose_name = "fiche métier"
        verbose_name_plural = "fiches métiers"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"

    def get_absolute_url(self):
        return reverse("rome:fiche", args=[self.code])


class Appellation(models.Model):
    code_ogr = models.PositiveIntegerField("code OGR", primary_key=True)
    label = models.CharField("libellé", max_length=250)
    short_label = models.CharField("libellé court", max_length=250)
    fiche = models.ForeignKey(Fiche, on_delete=models.PROTECT, related_name="appellations")
    is_principal = models.BooleanField("appellation principale", default=False)
    rarely_used = models.BooleanField("peu usitée", default=False)

    class Meta:
        verbose_name = "appellation"
        verbose_name_plural = "appellations"
        ordering = ["label"]

    def __str__(self):
        return self.label


class Skill(models.Model):
    """A skill item of ROME 4.0: savoir-faire, savoir-être professionnel or savoir (knowledge)."""

    class Kind(models.TextChoices):
        SAVOIR_FAIRE = "savoir_faire", "Savoir-faire"
        SAVOIR_ETRE = "savoir_etre", "Savoir-être professionnel"
        SAVOIR = "savoir", "Savoir"

    code_ogr = models.PositiveIntegerField("code OGR", primary_key=True)
    label = models.CharField("libellé", max_length=400)
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    category = models.CharField("catégorie", max_length=200, blank=True)
    subcategory = models.CharField("sous-catégorie", max_length=200, blank=True)

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["label"]

    def __str__(self):
        return self.label


class FicheSkill(models.Model):
    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="fiche_links")
    is_core = models.BooleanField("cœur de métier", default=False)
    is_emerging = models.BooleanField("émergente", default=False)

    class Meta:
        verbose_name = "compétence d'une fiche"
        verbose_name_plural = "compétences des fiches"
        constraints = [models.UniqueConstraint(fields=["fiche", "skill"], name="unique_fiche_skill")]

    def __str__(self):
        return f"{self.fiche_id} — {self.skill_id}"


class Mobility(models.Model):
    """A mobility link of the ROME: from a fiche, people can move to `target` (`order` ranks the targets)."""

    source = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="mobility_links")
    target = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="incoming_mobility_links")
    order = models.PositiveSmallIntegerField("rang", default=0)

    class Meta:
        verbose_name = "mobilité"
        verbose_name_plural = "mobilités"
        ordering = ["source", "order"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_mobility")]

    def __str__(self):
        return f"{self.source_id} → {self.target_id}"


class RomeImport(models.Model):
    """A run of `sync_rome --write` that changed the tables. The latest id is the version stamp that in-process
    caches (the appellation search index) compare to know they must rebuild."""

    version = models.CharField("version du ROME", max_length=200, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    summary = models.TextField("résumé", blank=True)

    class Meta:
        verbose_name = "import du ROME"
        verbose_name_plural = "imports du ROME"
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.version or 'ROME'} ({self.imported_at:%d/%m/%Y %H:%M})"
