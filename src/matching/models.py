"""What a person looks for (the search profile extending the job seeker record) and the referrals advisors make
between people and offers."""

from django.conf import settings
from django.db import models

from reach.travel import Mode


class Barrier(models.TextChoices):
    LICENCE = "licence", "Pas de permis de conduire"
    VEHICLE = "vehicle", "Pas de véhicule"
    TRANSPORT = "transport", "Pas de transport en commun adapté"
    CHILDCARE = "childcare", "Garde d'enfants"
    HOUSING = "housing", "Logement"
    EQUIPMENT = "equipment", "Équipement (tenue, outils, informatique)"
    HEALTH = "health", "Santé"
    OTHER = "other", "Autre"


class WorkingTime(models.TextChoices):
    ANY = "", "Indifférent"
    FULL_TIME = "FULL_TIME", "Temps plein"
    PART_TIME = "PART_TIME", "Temps partiel"


class ExperienceLevel(models.TextChoices):
    NONE = "none", "Débutant (moins de 6 mois)"
    SOME = "some", "De 6 mois à 2 ans"
    CONFIRMED = "confirmed", "De 2 à 5 ans"
    EXPERT = "expert", "Plus de 5 ans"


EXPERIENCE_MONTHS = {"none": 0, "some": 6, "confirmed": 24, "expert": 60}


class SearchProfile(models.Model):
    """The job search of a person followed by the network (one per record); same access rules as the record."""

    jobseeker = models.OneToOneField(
        "jobseekers.JobSeeker", on_delete=models.CASCADE, related_name="search_profile"
    )
    appellations = models.ManyToManyField("rome.Appellation", verbose_name="métiers recherchés", blank=True)
    skills = models.ManyToManyField("rome.Skill", verbose_name="compétences", blank=True)
    experience = models.CharField(
        "expérience dans ces métiers",
        max_length=20,
        choices=ExperienceLevel.choices,
        default=ExperienceLevel.NONE,
    )
    contract_types = models.JSONField("contrats acceptés", default=list, blank=True)  # empty: any
    working_time = models.CharField(
        "temps de travail", max_length=10, choices=WorkingTime.choices, blank=True
    )
    available_from = models.DateField("disponible à partir du", null=True, blank=True)
    uses_car = models.BooleanField("voiture", default=False)
    uses_two_wheeler = models.BooleanField("deux-roues motorisé", default=False)
    uses_public_transport = models.BooleanField("transports en commun", default=True)
    uses_bike = models.BooleanField("vélo", default=False)
    walks = models.BooleanField("à pied", default=True)
    max_commute_minutes = models.PositiveSmallIntegerField(
        "temps de trajet maximum (aller, en minutes)", default=45
    )
    barriers = models.JSONField("freins déclarés", default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "projet de recherche d'emploi"
        verbose_name_plural = "projets de recherche d'emploi"

    def __str__(self):
        return f"Projet de {self.jobseeker}"

    @property
    def modes(self) -> frozenset[Mode]:
        flags = {
            Mode.CAR: self.uses_car,
            Mode.TWO_WHEELER: self.uses_two_wheeler,
            Mode.PUBLIC_TRANSPORT: self.uses_public_transport,
            Mode.BIKE: self.uses_bike,
            Mode.WALK: self.walks,
        }
        return frozenset(mode for mode, used in flags.items() if used)


class Referral(models.Model):
    """An advisor proposes an offer to a person, or a person to an employer; the status follows the outcome."""

    class Direction(models.TextChoices):
        OFFER_TO_PERSON = "offer_to_person", "Offre proposée à la personne"
        PERSON_TO_EMPLOYER = "person_to_employer", "Candidature proposée à l'employeur"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposée"
        APPLIED = "applied", "Candidature envoyée"
        INTERVIEW = "interview", "Entretien"
        HIRED = "hired", "Embauche"
        DECLINED = "declined", "Sans suite"

    jobseeker = models.ForeignKey("jobseekers.JobSeeker", on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey("offers.Offer", on_delete=models.PROTECT, related_name="referrals")
    direction = models.CharField("sens", max_length=20, choices=Direction.choices)
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = models.CharField("motif (si sans suite)", max_length=300, blank=True)
    score = models.FloatField("score au moment de la proposition", null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["jobseeker", "offer", "direction"], name="unique_referral")
        ]

    def __str__(self):
        return f"{self.get_direction_display()} — {self.get_status_display()}"


class ReferralEvent(models.Model):
    """Each status change of a referral: who, when, which status, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Referral.Status.choices)
    note = models.CharField("précision", max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y} {self.get_status_display()}"
