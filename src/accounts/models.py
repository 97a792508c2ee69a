"""People who log in, the partner organisations they work for, and their role in each."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from stdnum.fr import siret as stdnum_siret

from accounts.managers import UserManager
from territories.models import Bassin, Commune, Departement, Epci, Region, ZoneEmploi


def validate_siret(value: str) -> None:
    # stdnum knows La Poste's establishments, whose SIRET fails the plain Luhn check.
    if not stdnum_siret.is_valid(value):
        raise ValidationError(
            "« %(value)s » n'est pas un SIRET valide (14 chiffres, clé de contrôle).", params={"value": value}
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FRANCE_TRAVAIL = "france_travail", "Agence France Travail"
        REGION = "region", "Région"
        PREFECTURE = "prefecture", "Préfecture / DREETS"
        RECTORAT = "rectorat", "Rectorat"
        DEPARTEMENT = "departement", "Département"
        MISSION_LOCALE = "mission_locale", "Mission locale"
        CAP_EMPLOI = "cap_emploi", "Cap emploi"
        CHAMBER = "chamber", "Chambre consulaire"
        OPCO = "opco", "OPCO"
        OTHER = "other", "Autre partenaire"

    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    email = models.EmailField("courriel de contact", blank=True)
    regions = models.ManyToManyField(Region, blank=True, verbose_name="régions couvertes")
    departements = models.ManyToManyField(Departement, blank=True, verbose_name="départements couverts")
    epcis = models.ManyToManyField(Epci, blank=True, verbose_name="EPCI couverts")
    zones_emploi = models.ManyToManyField(ZoneEmploi, blank=True, verbose_name="zones d'emploi couvertes")
    bassins = models.ManyToManyField(Bassin, blank=True, verbose_name="bassins couverts")
    communes = models.ManyToManyField(Commune, blank=True, verbose_name="communes couvertes")
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organisation", args=[self.pk])

    def covered_communes(self):
        """Every commune the organisation covers, whatever level its coverage was declared at."""
        return Commune.objects.filter(
            models.Q(region__in=self.regions.all())
            | models.Q(departement__in=self.departements.all())
            | models.Q(epci__in=self.epcis.all())
            | models.Q(zone_emploi__in=self.zones_emploi.all())
            | models.Q(bassin__in=self.bassins.all())
            | models.Q(pk__in=self.communes.all())
        )


class Role(models.TextChoices):
    ADVISOR = "advisor", "Conseiller ou conseillère"
    MANAGER = "manager", "Responsable d'équipe"
    COMMITTEE_MEMBER = "committee_member", "Membre de comité"
    ADMINISTRATOR = "administrator", "Administrateur ou administratrice"
    DATA_PROTECTION_OFFICER = "dpo", "Délégué ou déléguée à la protection des données"


class User(AbstractUser):
    """An agent of a partner organisation. Logs in with an e-mail address."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)
    organisations = models.ManyToManyField(
        Organisation, through="Membership", related_name="members", blank=True
    )
    # ProConnect's pseudonymous identifier of the agent for this service, recorded at the first ProConnect login;
    # later logins must present the same one. An administrator empties it to let the agent link a new one.
    proconnect_sub = models.CharField(
        "identifiant ProConnect (sub)",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="Rempli à la première connexion ProConnect. Videz-le si l'agent change de fournisseur d'identité.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=30, choices=Role.choices, default=Role.ADVISOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "appartenance"
        verbose_name_plural = "appartenances"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role")
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"
