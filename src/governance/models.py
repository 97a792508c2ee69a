"""Governance of the réseau pour l'emploi: the comités pour l'emploi (art. L5311-9 and L5311-10 of the Code du
travail, décrets 2024-252 and 2024-560), their members, meetings, votes and follow-up actions; and the regional
protocol's commitments, action sheets and indicators. Rules (co-presidency, quorum, proxies, majority) live in
`governance.services` and `governance.rules`; see docs/governance.md."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.models import Organisation
from core.validators import validate_upload_size
from territories.models import Bassin, Commune, Departement, Epci, Region, ZoneEmploi


class Level(models.TextChoices):
    NATIONAL = "national", "national"
    REGIONAL = "regional", "régional"
    DEPARTMENTAL = "departmental", "départemental"
    LOCAL = "local", "local"


class SizeRule(models.Model):
    """How large a committee of a level may be, and how its members work: configurable, seeded from the decrees."""

    level = models.CharField("niveau", max_length=20, choices=Level.choices, unique=True)
    max_members = models.PositiveSmallIntegerField(
        "nombre maximal de membres nommés", help_text="Hors présidents; titulaires seulement."
    )
    max_members_large_region = models.PositiveSmallIntegerField(
        "maximum si la région compte plus de six départements", null=True, blank=True
    )
    mandate_years = models.PositiveSmallIntegerField("durée du mandat (années)", default=3)
    expiry_warning_days = models.PositiveSmallIntegerField("alerte avant fin de mandat (jours)", default=90)
    max_proxies_per_holder = models.PositiveSmallIntegerField(
        "pouvoirs détenus au plus par un membre", default=1
    )
    legal_reference = models.CharField("référence", max_length=300, blank=True)

    class Meta:
        verbose_name = "règle de taille et de fonctionnement"
        verbose_name_plural = "règles de taille et de fonctionnement"
        ordering = ["level"]

    def __str__(self):
        return f"Comités de niveau {self.get_level_display()}"


class Committee(models.Model):
    class LocalScope(models.TextChoices):
        ZONE_EMPLOI = "zone_emploi", "zone d'emploi"
        BASSIN = "bassin", "bassin d'emploi"
        EPCI = "epci", "EPCI"
        COMMUNES = "communes", "ensemble de communes"

    name = models.CharField("nom", max_length=200)
    level = models.CharField("niveau", max_length=20, choices=Level.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    departement = models.ForeignKey(
        Departement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="département",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="comité parent",
    )
    local_scope = models.CharField(
        "ressort du comité local", max_length=20, choices=LocalScope.choices, blank=True
    )
    zone_emploi = models.ForeignKey(
        ZoneEmploi,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="zone d'emploi",
    )
    bassin = models.ForeignKey(
        Bassin,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="bassin d'emploi",
    )
    epci = models.ForeignKey(
        Epci, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="EPCI"
    )
    communes = models.ManyToManyField(Commune, blank=True, related_name="+", verbose_name="communes")
    secretariat = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="secrétariat",
        help_text="Organisation dont les responsables préparent les réunions.",
    )
    is_example = models.BooleanField("exemple (démonstration)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "comité pour l'emploi"
        verbose_name_plural = "comités pour l'emploi"
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:committee", args=[self.pk])

    @property
    def territory_label(self) -> str:
        if self.level == Level.NATIONAL:
            return "France"
        if self.level == Level.REGIONAL:
            return f"Région {self.region}"
        if self.level == Level.DEPARTMENTAL:
            return f"Département {self.departement}"
        if self.local_scope == self.LocalScope.ZONE_EMPLOI:
            return f"Zone d'emploi {self.zone_emploi}"
        if self.local_scope == self.LocalScope.BASSIN:
            return f"Bassin {self.bassin}"
        if self.local_scope == self.LocalScope.EPCI:
            return f"EPCI {self.epci}"
        return "Communes : " + ", ".join(c.name for c in self.communes.all()[:8])


class College(models.TextChoices):
    STATE = "state", "État"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Départements"
    LOCAL_AUTHORITIES = "local_authorities", "Communes et intercommunalités"
    EMPLOYEE_UNIONS = "employee_unions", "Organisations syndicales de salariés"
    EMPLOYER_ORGANISATIONS = "employer_organisations", "Organisations professionnelles d'employeurs"
    OPERATORS = "operators", "Opérateurs du réseau pour l'emploi"
    CHAMBERS = "chambers", "Chambres consulaires"
    QUALIFIED = "qualified", "Personnalités qualifiées et usagers"


# Colleges whose members vote by default (R5311-37: State, local authorities, social partners).
VOTING_COLLEGES = {
    College.STATE,
    College.REGION,
    College.DEPARTEMENT,
    College.LOCAL_AUTHORITIES,
    College.EMPLOYEE_UNIONS,
    College.EMPLOYER_ORGANISATIONS,
}


class Capacity(models.TextChoices):
    """The office a person holds: what the co-presidency rules check."""

    MINISTER = "minister", "Ministre chargé de l'emploi"
    REGIONAL_PREFECT = "regional_prefect", "Préfet de région"
    REGIONAL_PRESIDENT = "regional_president", "Président du conseil régional"
    DEPARTMENT_PREFECT = "department_prefect", "Préfet de département"
    SUB_PREFECT = "sub_prefect", "Sous-préfet désigné par le préfet de département"
    DEPARTMENT_PRESIDENT = "department_president", "Président du conseil départemental"
    DESIGNATED_AUTHORITY = "designated_authority", "Représentant d'une collectivité désigné par le préfet"
    OTHER = "other", "Autre qualité"


class Member(models.Model):
    class Seat(models.TextChoices):
        TITULAR = "titular", "titulaire"
        SUBSTITUTE = "substitute", "suppléant"

    class Chair(models.TextChoices):
        NONE = "", "—"
        STATE = "state", "coprésident (État)"
        AUTHORITY = "authority", "coprésident (collectivité)"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField("nom et prénom", max_length=200)
    email = models.EmailField("courriel", blank=True)
    college = models.CharField("collège", max_length=30, choices=College.choices)
    capacity = models.CharField("qualité", max_length=30, choices=Capacity.choices, default=Capacity.OTHER)
    position = models.CharField("fonction", max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="organisation",
    )
    institution = models.CharField(
        "institution (si hors plateforme)",
        max_length=200,
        blank=True,
        help_text="Quand elle n'est pas une organisation de la plateforme.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
        verbose_name="compte sur la plateforme",
    )
    seat = models.CharField("siège", max_length=20, choices=Seat.choices, default=Seat.TITULAR)
    substitute_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="substitutes",
        verbose_name="suppléant de",
    )
    chair = models.CharField("présidence", max_length=20, choices=Chair.choices, default="", blank=True)
    designation_reference = models.CharField(
        "acte de désignation",
        max_length=200,
        blank=True,
        help_text="Arrêté ou décision qui désigne le membre.",
    )
    has_vote = models.BooleanField("voix délibérative", default=True)
    mandate_start = models.DateField("début du mandat")
    mandate_end = models.DateField("fin du mandat")

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        ordering = ["chair", "college", "seat", "full_name"]

    def __str__(self):
        return self.full_name

    @property
    def institution_label(self) -> str:
        return str(self.organisation) if self.organisation_id else self.institution

    def is_current(self, on) -> bool:
        return self.mandate_start <= on <= self.mandate_end


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "en préparation"
        CONVENED = "convened", "convoquée"
        HELD = "held", "tenue"
        CANCELLED = "cancelled", "annulée"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    location = models.CharField("lieu", max_length=300, blank=True)
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.PLANNED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, editable=False
    )  # iCal SEQUENCE, bumped on each invitation
    notes = models.TextField("compte rendu des échanges", blank=True)

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("governance:meeting", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("rang", default=1)
    title = models.CharField("point", max_length=300)
    description = models.TextField("présentation", blank=True)
    presenter = models.CharField("présenté par", max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", null=True, blank=True)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.title}"


def document_path(instance, filename):
    return f"governance/meetings/{instance.meeting_id}/{filename}"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name="point",
    )
    title = models.CharField("titre", max_length=200)
    file = models.FileField("fichier", upload_to=document_path, validators=[validate_upload_size])
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document de séance"
        verbose_name_plural = "documents de séance"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "convocation"
        verbose_name_plural = "convocations"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"Convocation de {self.member_id} à la réunion {self.meeting_id}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "présent"
        ABSENT = "absent", "absent"
        EXCUSED = "excused", "excusé"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField("présence", max_length=20, choices=Status.choices)
    proxy_holder = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proxies_held",
        verbose_name="pouvoir donné à",
    )

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="unique_attendance")]

    def __str__(self):
        return f"{self.member_id} : {self.get_status_display()}"


class MeasureKind(models.TextChoices):
    TRAINING = "training", "Mesure relative à la formation professionnelle"
    COMPANY_SERVICES = "company_services", "Mesure relative aux services aux entreprises"
    OTHER = "other", "Autre décision"


class Motion(models.Model):
    """A question put to the vote; once tallied it records the decision."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "à voter"
        ADOPTED = "adopted", "adoptée"
        REJECTED = "rejected", "rejetée"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="motions",
        verbose_name="point",
    )
    title = models.CharField("question soumise au vote", max_length=300)
    text = models.TextField("texte de la décision", blank=True)
    kind = models.CharField("nature", max_length=30, choices=MeasureKind.choices, default=MeasureKind.OTHER)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    votes_for = models.PositiveSmallIntegerField("pour", default=0)
    votes_against = models.PositiveSmallIntegerField("contre", default=0)
    abstentions = models.PositiveSmallIntegerField("abstentions", default=0)
    casting_vote_used = models.BooleanField("voix prépondérante utilisée", default=False)
    decided_at = models.DateTimeField("date du vote", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "délibération"
        verbose_name_plural = "délibérations"
        ordering = ["pk"]

    def __str__(self):
        return self.title


class Ballot(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", "pour"
        AGAINST = "against", "contre"
        ABSTAIN = "abstain", "abstention"

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots")
    seat = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name="siège")
    cast_by = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name="exprimé par"
    )
    choice = models.CharField("vote", max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = "vote"
        verbose_name_plural = "votes"
        constraints = [models.UniqueConstraint(fields=["motion", "seat"], name="unique_ballot_per_seat")]

    def __str__(self):
        return f"{self.seat_id} : {self.get_choice_display()}"


class FollowUpAction(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", "à faire"
        IN_PROGRESS = "in_progress", "en cours"
        DONE = "done", "faite"

    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, related_name="actions", verbose_name="décision"
    )
    title = models.CharField("action", max_length=300)
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="pilote",
    )
    owner_name = models.CharField("pilote (si hors plateforme)", max_length=200, blank=True)
    deadline = models.DateField("échéance")
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.TODO)
    done_on = models.DateField("réalisée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "action de suivi"
        verbose_name_plural = "actions de suivi"
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.title

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name


# ---------------------------------------------------------------------------------------------------------
# Protocol and commitments


class Protocol(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField("intitulé", max_length=300)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="région")
    signed_on = models.DateField("signé le")
    signed_at = models.CharField("lieu de signature", max_length=100, blank=True)
    summary = models.TextField("présentation", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    public_summary = models.BooleanField(
        "synthèse publique",
        default=False,
        help_text="Publie une page de synthèse consultable sans connexion.",
    )

    class Meta:
        verbose_name = "protocole"
        verbose_name_plural = "protocoles"
        ordering = ["-signed_on"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:protocol", args=[self.slug])


class Signatory(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="signatories")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField("signataire", max_length=200)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["protocol", "name"], name="unique_signatory")]

    def __str__(self):
        return self.name


class Axis(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.TextField("axe")

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["protocol", "number"], name="unique_axis")]

    def __str__(self):
        return f"Axe {self.number}"


class Stake(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="stakes")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.TextField("enjeu")

    class Meta:
        verbose_name = "enjeu"
        verbose_name_plural = "enjeux"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["protocol", "number"], name="unique_stake")]

    def __str__(self):
        return f"Enjeu {self.number}"


class Commitment(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="commitments")
    stake = models.ForeignKey(
        Stake, on_delete=models.PROTECT, related_name="commitments", verbose_name="enjeu"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("engagement", max_length=400)
    description = models.TextField("description", blank=True)
    is_example = models.BooleanField("exemple (démonstration)", default=False)

    class Meta:
        verbose_name = "engagement"
        verbose_name_plural = "engagements"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["protocol", "number"], name="unique_commitment")]

    def __str__(self):
        return f"Engagement {self.number} — {self.title}"

    def get_absolute_url(self):
        return reverse("governance:commitment", args=[self.pk])


class SheetStatus(models.TextChoices):
    NOT_STARTED = "not_started", "non démarrée"
    ON_TRACK = "on_track", "en cours, dans les temps"
    LATE = "late", "en retard"
    DONE = "done", "réalisée"
    ABANDONED = "abandoned", "abandonnée"


class ActionSheet(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="sheets")
    title = models.CharField("intitulé", max_length=300)
    objective = models.TextField("objectif", blank=True)
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="partenaire pilote",
    )
    owner_name = models.CharField("pilote (si hors plateforme)", max_length=200, blank=True)
    co_partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name="partenaires associés"
    )
    departement = models.ForeignKey(
        Departement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="territoire",
        help_text="Vide : action régionale.",
    )
    budget = models.DecimalField("budget (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin prévue", null=True, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=SheetStatus.choices, default=SheetStatus.NOT_STARTED
    )
    is_example = models.BooleanField("exemple (démonstration)", default=False)

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        ordering = ["commitment__number", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:sheet", args=[self.pk])

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name


class Milestone(models.Model):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", "jalon"
        DELIVERABLE = "deliverable", "livrable"

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices, default=Kind.MILESTONE)
    title = models.CharField("intitulé", max_length=300)
    due_on = models.DateField("échéance")
    done_on = models.DateField("atteint le", null=True, blank=True)

    class Meta:
        verbose_name = "jalon ou livrable"
        verbose_name_plural = "jalons et livrables"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class StatusChange(models.Model):
    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=SheetStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SheetStatus.choices)
    reason = models.TextField("motif")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "historique des états"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Indicator(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "saisi par les partenaires"
        COMPUTED = "computed", "calculé par la plateforme"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("indicateur", max_length=300)
    definition = models.TextField("définition", blank=True)
    unit = models.CharField("unité", max_length=50)
    baseline_value = models.DecimalField(
        "valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_on = models.DateField("date de référence", null=True, blank=True)
    source = models.CharField(
        "source des valeurs", max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    query_name = models.CharField("requête de calcul", max_length=100, blank=True)
    higher_is_better = models.BooleanField("plus haut est mieux", default=True)
    bassin = models.ForeignKey(
        Bassin,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="bassin d'emploi",
        help_text="Vide : toute la région. Seules certaines requêtes se calculent par bassin.",
    )
    is_example = models.BooleanField("exemple (démonstration)", default=False)

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["commitment__number", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:indicator", args=[self.pk])


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    due_on = models.DateField("échéance")
    value = models.DecimalField("cible", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "cible"
        verbose_name_plural = "cibles"
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["indicator", "due_on"], name="unique_target_date")]

    def __str__(self):
        return f"{self.value} au {self.due_on:%d/%m/%Y}"


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField("date de la valeur")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=300)
    is_computed = models.BooleanField("calculée", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="saisie par",
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "valeur"
        verbose_name_plural = "valeurs"
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="unique_measurement_date")
        ]

    def __str__(self):
        return f"{self.value} au {self.measured_on:%d/%m/%Y}"
