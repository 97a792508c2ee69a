"""The objects the access matrix is checked against: two organisations (the one that follows the person or owns
the object, and another one), one user per actor, and for every app an object owned by each organisation.

Built once per test module (tests/security/test_access_matrix.py) with the project's factories."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation, Role, User
from aids.models import Aid
from companies.models import Contact, EmployerLink, Operation
from diagnosis.models import ActionLine
from governance.models import (
    ActionSheet,
    Attendance,
    Commitment,
    Committee,
    FollowUpAction,
    Indicator,
    Meeting,
    MeetingDocument,
    Member,
    Motion,
    Protocol,
)
from governance.protocols import HAUTS_DE_FRANCE_2023, load_protocol
from jobseekers.models import AidRequest, Consent, JobSeeker, Need
from matching.models import Referral, SearchProfile
from matching.services import propose
from offers.models import ImportRun, Offer, Publication, RomeReview, Source
from territories.models import Epci
from tests.companies.factories import EstablishmentFactory
from tests.diagnosis.factories import ActionLineFactory
from tests.factories import (
    AppellationFactory,
    CommuneFactory,
    FicheFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    advisor_of,
)
from tests.governance.factories import MeetingFactory, MemberFactory, regional_committee
from tests.jobseekers.factories import AidFactory, AidRequestFactory, ConsentFactory, NeedFactory, followed_by
from tests.offers.factories import SourceFactory
from training.models import TrainingSession

# The columns of the matrix. "Own" organisation = the one that follows the person / owns the object.
ACTORS = (
    "anonymous",
    "advisor",
    "manager",
    "other_advisor",
    "other_manager",
    "committee_member",
    "dpo",
    "admin",
)
ACTOR_LABELS = {
    "anonymous": "anonymous",
    "advisor": "advisor (own org.)",
    "manager": "manager (own org.)",
    "other_advisor": "advisor (other org.)",
    "other_manager": "manager (other org.)",
    "committee_member": "committee member",
    "dpo": "DPO",
    "admin": "administrator",
}


@dataclass
class Side:
    """What one organisation owns: the person it follows and everything hanging off that person, its offer
    source and import report, its recruitment operation, its action line."""

    organisation: Organisation
    record: JobSeeker
    need: Need
    aid_request: AidRequest
    consent: Consent
    share_consent: Consent
    newcomer: JobSeeker  # followed too, no consent recorded yet
    source: Source
    run: ImportRun
    operation: Operation
    action_line: ActionLine
    sheet: ActionSheet
    marker: str  # a surname that only this side's private objects carry


@dataclass
class World:
    own: Side
    other: Side
    users: dict[str, User | None]
    offer: Offer
    referral: Referral
    aid: Aid
    draft_aid: Aid
    establishment: object
    link: EmployerLink
    review: RomeReview
    training_session: TrainingSession
    committee: Committee
    meeting: Meeting
    document: MeetingDocument
    motion: Motion
    followup_action: FollowUpAction
    protocol: Protocol
    indicator: Indicator
    commune: object
    epci: Epci
    fiche: object
    appellation: object
    extra: SimpleNamespace = field(default_factory=SimpleNamespace)


def _side(
    organisation: Organisation,
    *,
    marker: str,
    first_name: str,
    user: User,
    commune,
    appellation,
    commitment,
    operation_title: str,
):
    record = followed_by(organisation, first_name=first_name, last_name=marker, commune=commune)
    need = NeedFactory(jobseeker=record)
    aid = AidFactory(id=f"aide-matrice-{organisation.pk}", label="Aide à la mobilité (matrice)")
    profile = SearchProfile.objects.create(jobseeker=record)
    profile.appellations.add(appellation)
    source = SourceFactory(
        name=f"source-matrice-{organisation.pk}", label=f"Source {organisation.name}", owner=organisation
    )
    run = ImportRun.objects.create(
        source=source,
        file_name=f"offres-{marker.lower()}.json",
        status=ImportRun.Status.SUCCEEDED,
        rejected=[{"line": 3, "reason": f"Rejet privé {marker}"}],
        rejected_count=1,
        user=user,
    )
    operation = Operation.objects.create(
        kind=Operation.Kind.JOB_DATING,
        title=operation_title,
        organiser=organisation,
        commune=commune,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=3),
        created_by=user,
        is_public=True,
    )
    return Side(
        organisation=organisation,
        record=record,
        need=need,
        aid_request=AidRequestFactory(jobseeker=record, aid=aid, need=need, organisation=organisation),
        consent=ConsentFactory(jobseeker=record, scope=Consent.Scope.PROPOSE_TO_EMPLOYERS),
        share_consent=ConsentFactory(jobseeker=record, scope=Consent.Scope.SHARE_RECORD),
        newcomer=followed_by(
            organisation, first_name=first_name, last_name=f"{marker}-Nouveau", commune=commune
        ),
        source=source,
        run=run,
        operation=operation,
        action_line=ActionLineFactory(owner=organisation, title=f"Action {marker}"),
        sheet=ActionSheet.objects.create(commitment=commitment, title=f"Fiche {marker}", owner=organisation),
        marker=marker,
    )


def build_world() -> World:
    own_org = OrganisationFactory(name="France Travail Matrice")
    other_org = OrganisationFactory(name="Mission locale Matrice", kind=Organisation.Kind.MISSION_LOCALE)
    admin = UserFactory(is_staff=True, is_superuser=True, last_name="Administratrice")
    MembershipFactory(user=admin, organisation=own_org, role=Role.ADMINISTRATOR)
    users = {
        "anonymous": None,
        "advisor": advisor_of(own_org),
        "manager": advisor_of(own_org, role=Role.MANAGER),
        "other_advisor": advisor_of(other_org, last_name="Membreautre"),
        "other_manager": advisor_of(other_org, role=Role.MANAGER),
        "committee_member": advisor_of(own_org, role=Role.COMMITTEE_MEMBER),
        "dpo": advisor_of(own_org, role=Role.DATA_PROTECTION_OFFICER),
        "admin": admin,
    }
    commune = CommuneFactory(code="80021", name="Amiens", search_name="amiens")
    fiche = FicheFactory()
    appellation = AppellationFactory(fiche=fiche)
    protocol, _ = load_protocol(HAUTS_DE_FRANCE_2023)
    commitment = Commitment.objects.create(
        protocol=protocol, stake=protocol.stakes.first(), number=1, title="Engagement matrice"
    )
    own = _side(
        own_org,
        marker="Zorglub",
        first_name="Dominique",
        user=users["advisor"],
        commune=commune,
        appellation=appellation,
        commitment=commitment,
        operation_title="Job dating public (matrice)",
    )
    other = _side(
        other_org,
        marker="Quibble",
        first_name="Camille",
        user=users["other_advisor"],
        commune=commune,
        appellation=appellation,
        commitment=commitment,
        operation_title="Job dating interne (matrice)",
    )
    other.operation.is_public = False
    other.operation.save(update_fields=["is_public"])
    offer = Offer.objects.create(
        title="Aide-soignant de nuit", fiche=fiche, commune=commune, contract_type="CDI"
    )
    publication = Publication.objects.create(
        source=own.source,
        external_id="M1",
        title="Chargé de mission matrice",
        raw='{"id": "M1"}',
        content_hash="0" * 32,
        last_seen_at=timezone.now(),
        offer=offer,
    )
    referral = propose(
        jobseeker=own.record,
        offer=offer,
        direction=Referral.Direction.OFFER_TO_PERSON,
        score=0.5,
        user=users["advisor"],
        organisation=own_org,
    )
    establishment = EstablishmentFactory(commune=commune)
    Contact.objects.create(
        establishment=establishment,
        organisation=other_org,
        author=users["other_advisor"],
        kind=Contact.Kind.CALL,
        date=date(2026, 1, 5),
        purpose="Besoins de recrutement",
    )
    link = EmployerLink.objects.create(
        offer=offer,
        establishment=establishment,
        method=EmployerLink.Method.NAME,
        score=85,
        status=EmployerLink.Status.TO_REVIEW,
    )
    committee = regional_committee(name="Comité régional matrice", secretariat=own_org)
    member = MemberFactory(
        committee=committee,
        full_name="Membre avec compte",
        user=users["committee_member"],
        email="membre.matrice@example.org",
    )
    meeting = MeetingFactory(committee=committee)
    # The State co-chair sits, so a member can give them a proxy.
    Attendance.objects.create(
        meeting=meeting,
        member=committee.members.get(chair=Member.Chair.STATE),
        status=Attendance.Status.PRESENT,
    )
    document = MeetingDocument.objects.create(
        meeting=meeting,
        title="Note confidentielle matrice",
        file=SimpleUploadedFile("note.pdf", b"%PDF-1.4 note"),
        uploaded_by=users["manager"],
    )
    motion = Motion.objects.create(meeting=meeting, title="Adopter le plan matrice")
    followup_action = FollowUpAction.objects.create(
        motion=motion, title="Suite matrice", owner=own_org, deadline=date(2026, 12, 31)
    )
    indicator = Indicator.objects.create(commitment=commitment, name="Indicateur matrice", unit="personnes")
    training_session = TrainingSession.objects.create(
        key="manual:matrice",
        source=TrainingSession.Source.MANUAL,
        external_id="matrice",
        title="DEAS matrice",
        commune=commune,
        commune_code=commune.code,
        start_date=date(2026, 9, 1),
    )
    duplicate = EstablishmentFactory(
        siret="73282932000082", name="Centre hospitalier (doublon)", commune=commune
    )
    draft_aid = AidFactory(id="aide-brouillon-matrice", label="Aide en préparation", is_published=False)
    return World(
        own=own,
        other=other,
        users=users,
        offer=offer,
        referral=referral,
        aid=AidFactory(id="aide-publiee-matrice", label="Aide publiée matrice"),
        draft_aid=draft_aid,
        establishment=establishment,
        link=link,
        review=RomeReview.objects.create(publication=publication, suggested_code="J1501", confidence=0.2),
        training_session=training_session,
        committee=committee,
        meeting=meeting,
        document=document,
        motion=motion,
        followup_action=followup_action,
        protocol=protocol,
        indicator=indicator,
        commune=commune,
        epci=Epci.objects.create(siren="200070993", name="Amiens Métropole"),
        fiche=fiche,
        appellation=appellation,
        extra=SimpleNamespace(
            duplicate=duplicate,
            member=member,
            third_organisation=OrganisationFactory(
                name="Cap emploi Matrice", kind=Organisation.Kind.CAP_EMPLOI
            ),
        ),
    )
