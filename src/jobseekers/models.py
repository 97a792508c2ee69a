"""The job seeker record (RGPD: minimum data, recorded consent, access limited to the organisations that follow
the person, retention) and the aid requests advisors file for the person.

Why each field exists is written in docs/rgpd.md; keep both in step.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.text import fold

ANONYMISED_NAME = "Personne anonymisée"


class JobSeeker(models.Model):
    class Status(models.TextChoices):
        CATEGORY_A = "job_seeker_a", "Demandeur d'emploi catégorie A (sans emploi)"
        CATEGORY_B = "job_seeker_b", "Demandeur d'emploi catégorie B (activité réduite courte, ≤ 78 h/mois)"
        CATEGORY_C = "job_seeker_c", "Demandeur d'emploi catégorie C (activité réduite longue, > 78 h/mois)"
        CATEGORY_D = "job_seeker_d", "Demandeur d'emploi catégorie D (non disponible : formation, maladie…)"
        CATEGORY_E = "job_seeker_e", "Demandeur d'emploi catégorie E (en emploi : contrat aidé, création…)"
        EMPLOYEE = "employee", "Salarié ou salariée"
        APPRENTICE = "apprentice", "Apprenti ou apprentie"
        STUDENT = "student", "Élève ou étudiant, étudiante"
        TRAINEE = "trainee", "Stagiaire de la formation professionnelle"
        SELF_EMPLOYED = "self_employed", "Indépendant ou indépendante"
        OTHER = "other", "Autre situation (sans activité, non inscrit à France Travail)"

    class Allowance(models.TextChoices):
        NONE = "none", "Aucune allocation"
        ARE = "are", "Allocation d'aide au retour à l'emploi (ARE)"
        ASS = "ass", "Allocation de solidarité spécifique (ASS)"
        RSA = "rsa", "Revenu de solidarité active (RSA)"
        OTHER = "other", "Autre allocation"

    # Identity and contact: the minimum to recognise the person and reach them.
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    search_name = models.CharField(max_length=210, db_index=True, editable=False)  # fold("last first")
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name="commune de résidence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Situation: only what the aid engine's rules read.
    status = models.CharField("situation", max_length=20, choices=Status.choices, default=Status.CATEGORY_A)
    registration_date = models.DateField("date d'inscription à France Travail", null=True, blank=True)
    allowance = models.CharField("allocation perçue", max_length=10, choices=Allowance.choices, blank=True)
    allowance_daily_amount = models.DecimalField(
        "montant journalier de l'allocation (€)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    lives_alone = models.BooleanField("vit seul ou seule (sans conjoint)", null=True, blank=True)
    # None: not told; []: no child in charge.
    children_birth_dates = models.JSONField(
        "dates de naissance des enfants à charge", null=True, blank=True, default=None
    )
    household_monthly_income = models.DecimalField(
        "ressources mensuelles nettes du foyer (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    has_driving_licence = models.BooleanField("permis B", null=True, blank=True)
    has_vehicle = models.BooleanField("véhicule personnel", null=True, blank=True)

    # Retention: anonymised by `reseau-emploi anonymise-jobseekers` two years after the last follow-up.
    is_demo = models.BooleanField("donnée de démonstration", default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    last_followed_at = models.DateTimeField("dernier suivi", default=timezone.now, db_index=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, db_index=True)

    # Fields audited on change (identity values are logged as "modifié", never in clear: see services).
    SITUATION_FIELDS = [
        "status",
        "registration_date",
        "allowance",
        "allowance_daily_amount",
        "lives_alone",
        "children_birth_dates",
        "household_monthly_income",
        "has_driving_licence",
        "has_vehicle",
    ]
    IDENTITY_FIELDS = ["first_name", "last_name", "birth_date", "email", "phone", "commune_id"]

    class Meta:
        verbose_name = "personne suivie"
        verbose_name_plural = "personnes suivies"
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        # No name here: str() ends up in the audit log, which must not keep names after anonymisation.
        return f"Personne suivie n° {self.pk}"

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.last_name} {self.first_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("first_name" in update_fields or "last_name" in update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("jobseekers:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        if self.anonymised_at:
            return ANONYMISED_NAME
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def children_dates(self) -> list[date] | None:
        if self.children_birth_dates is None:
            return None
        return [date.fromisoformat(value) for value in self.children_birth_dates]

    def children_ages_on(self, day: date) -> list[int] | None:
        if self.children_dates is None:
            return None
        return [day.year - b.year - ((day.month, day.day) < (b.month, b.day)) for b in self.children_dates]

    @property
    def is_job_seeker(self) -> bool:
        return self.status.startswith("job_seeker_")


class FollowUpQuerySet(models.QuerySet):
    def active(self, *, on: date | None = None):
        day = on or timezone.localdate()
        return self.filter(since__lte=day).filter(models.Q(until__isnull=True) | models.Q(until__gt=day))


class FollowUp(models.Model):
    """An organisation follows the person from `since` until `until` (excluded: a follow-up ended today no longer
    gives access today; open when empty), with a referent advisor."""

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="followups")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField("depuis le", default=timezone.localdate)
    until = models.DateField("jusqu'au", null=True, blank=True)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="conseiller ou conseillère référent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    end_reason = models.CharField("motif de fin", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi"
        verbose_name_plural = "suivis"
        ordering = ["-since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobseeker", "organisation"],
                condition=models.Q(until__isnull=True),
                name="one_open_followup_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} suit {self.jobseeker_id} depuis le {self.since:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.since <= today and (self.until is None or self.until > today)


class Consent(models.Model):
    """What the person agreed to, how, and when; withdrawn consents are kept (with who recorded the withdrawal)."""

    class Scope(models.TextChoices):
        SHARE_RECORD = (
            "share_record",
            "Partage du dossier entre les organisations qui accompagnent la personne",
        )
        PROPOSE_TO_EMPLOYERS = "propose_to_employers", "Proposition de son profil à des employeurs"

    class Method(models.TextChoices):
        INTERVIEW = "interview", "Accord oral en entretien, information écrite remise"
        SIGNED_FORM = "signed_form", "Formulaire signé"
        ELECTRONIC = "electronic", "Accord électronique (courriel ou espace personnel)"

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField("objet du consentement", max_length=30, choices=Scope.choices)
    method = models.CharField("recueilli par", max_length=20, choices=Method.choices)
    given_on = models.DateField("donné le", default=timezone.localdate)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_note = models.CharField("précision sur le retrait", max_length=200, blank=True)

    class Meta:
        verbose_name = "consentement"
        verbose_name_plural = "consentements"
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobseeker", "scope"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_consent_per_scope",
            ),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} ({self.given_on:%d/%m/%Y})"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class Need(models.Model):
    """The concrete project an aid would help with (an interview, a training, a job start), with the last
    simulation run on it. Distances are computed by the aid engine from the communes, never typed."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", "Un entretien d'embauche"
        TRAINING = "training", "Une entrée en formation"
        JOB_START = "job_start", "Une reprise d'emploi"

    class ContractType(models.TextChoices):
        CDI = "cdi", "CDI"
        CDD = "cdd", "CDD"
        CTT = "ctt", "Intérim (contrat de travail temporaire)"
        APPRENTICESHIP = "apprenticeship", "Contrat d'apprentissage"
        PROFESSIONALISATION = "professionalisation", "Contrat de professionnalisation"

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField("projet", max_length=20, choices=Kind.choices)
    place_commune = models.ForeignKey(
        "territories.Commune",
        verbose_name="commune de l'entretien, de la formation ou de l'emploi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A job offer of the regional pool: its commune, contract and hours fill what the advisor leaves empty.
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name="offre du vivier régional",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_date = models.DateField("date (entretien, premier jour de travail ou de formation)")
    contract_type = models.CharField(
        "type de contrat", max_length=30, choices=ContractType.choices, blank=True
    )
    contract_months = models.DecimalField(
        "durée du contrat (mois)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    weekly_hours = models.DecimalField(
        "durée hebdomadaire de travail ou de formation (heures)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    monthly_salary = models.DecimalField(
        "salaire mensuel net prévu (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    training_hours = models.PositiveIntegerField(
        "durée totale de la formation (heures)", null=True, blank=True
    )
    round_trips = models.PositiveSmallIntegerField(
        "nombre d'allers-retours à prendre en charge", null=True, blank=True
    )
    meals = models.PositiveSmallIntegerField("repas hors du domicile", null=True, blank=True)
    nights = models.PositiveSmallIntegerField("nuitées hors du domicile", null=True, blank=True)
    description = models.CharField("précision (facultatif)", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last simulation: AidResult.as_dict() of every aid, so the advisor and the request keep what was shown.
    results = models.JSONField("résultat de la simulation", default=list, blank=True)
    evaluated_at = models.DateTimeField("simulée le", null=True, blank=True)

    FIELDS = [
        "kind",
        "place_commune_id",
        "offer_id",
        "start_date",
        "contract_type",
        "contract_months",
        "weekly_hours",
        "monthly_salary",
        "training_hours",
        "round_trips",
        "meals",
        "nights",
        "description",
    ]

    class Meta:
        verbose_name = "projet"
        verbose_name_plural = "projets"
        ordering = ["-start_date", "-pk"]

    def __str__(self):
        place = f" à {self.place_commune.name}" if self.place_commune_id else ""
        return f"{self.get_kind_display()}{place} le {self.start_date:%d/%m/%Y}"

    def result_for(self, aid_id: str) -> dict | None:
        return next((result for result in self.results if result.get("id") == aid_id), None)


class AidRequest(models.Model):
    """A request for an aid filed by an advisor for the person, from "to send" to "paid"."""

    class Status(models.TextChoices):
        TO_SEND = "to_send", "À envoyer"
        SENT = "sent", "Envoyée"
        GRANTED = "granted", "Accordée"
        REFUSED = "refused", "Refusée"
        PAID = "paid", "Versée"
        CANCELLED = "cancelled", "Abandonnée"

    # Which statuses each status may move to (the advisor records what the instructing body decided).
    TRANSITIONS = {
        Status.TO_SEND: [Status.SENT, Status.CANCELLED],
        Status.SENT: [Status.GRANTED, Status.REFUSED, Status.CANCELLED],
        Status.GRANTED: [Status.PAID, Status.CANCELLED],
        Status.REFUSED: [],
        Status.PAID: [],
        Status.CANCELLED: [],
    }
    GRANTED_STATUSES = (Status.GRANTED, Status.PAID)

    jobseeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="aid_requests")
    need = models.ForeignKey(
        Need,
        verbose_name="projet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aid_requests",
    )
    aid = models.ForeignKey("aids.Aid", verbose_name="aide", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="organisation qui dépose la demande",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.TO_SEND)
    estimated_amount = models.DecimalField(
        "montant estimé par la simulation (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    eligibility = models.CharField("résultat de la simulation", max_length=20, blank=True)
    amount_requested = models.DecimalField("montant demandé (€)", max_digits=10, decimal_places=2)
    amount_granted = models.DecimalField(
        "montant accordé (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    consent_given_on = models.DateField("consentement de la personne donné le")
    consent_method = models.CharField(
        "consentement recueilli par", max_length=20, choices=Consent.Method.choices
    )
    documents = models.JSONField("pièces justificatives", default=list, blank=True)  # [{"label", "provided"}]
    notes = models.TextField("notes", blank=True)
    sent_on = models.DateField("envoyée le", null=True, blank=True)
    decided_on = models.DateField("décision le", null=True, blank=True)
    paid_on = models.DateField("versée le", null=True, blank=True)
    # Where the person lived when the request was filed: the dashboard counts by territory without reading
    # (or keeping, after anonymisation) the person's commune.
    bassin = models.ForeignKey(
        "territories.Bassin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    departement = models.ForeignKey(
        "territories.Departement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey(
        "territories.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    FIELDS = [
        "status",
        "amount_requested",
        "amount_granted",
        "consent_given_on",
        "consent_method",
        "documents",
        "notes",
        "sent_on",
        "decided_on",
        "paid_on",
    ]

    class Meta:
        verbose_name = "demande d'aide"
        verbose_name_plural = "demandes d'aide"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Demande n° {self.pk} : {self.aid_id}"

    def get_absolute_url(self):
        return reverse("jobseekers:aid_request", args=[self.jobseeker_id, self.pk])

    @property
    def next_statuses(self) -> list:
        return self.TRANSITIONS[self.Status(self.status)]

    @property
    def is_granted(self) -> bool:
        return self.status in self.GRANTED_STATUSES

    @property
    def decision_year(self) -> int | None:
        return self.decided_on.year if self.decided_on else None


class AidRequestEvent(models.Model):
    """Each status change of a request: when, by whom, with an optional note."""

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField("statut", max_length=20, choices=AidRequest.Status.choices)
    on = models.DateField("date")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("note", max_length=300, blank=True)

    class Meta:
        verbose_name = "étape de la demande"
        verbose_name_plural = "étapes des demandes"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} le {self.on:%d/%m/%Y}"
