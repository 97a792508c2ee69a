"""The permission matrix: for every page (URL name) and every API operation (OpenAPI operationId), the object it
is asked about and what each actor gets. The single source of truth: tests/security/test_access_matrix.py checks
it request by request, and the tables of docs/security.md are generated from it
(`.venv/bin/python -m tests.security.write_access_matrix_docs` rewrites them; a test fails when they are out of date).

Outcomes: "200"; "login" (302 to the login page); "401" (API without a session); "403" (the object is known to
the actor but the action is not theirs); "404" (the object does not exist for the actor — private objects of
another organisation, so ids cannot be probed); "done" (a change accepted: 302 to the next page); "405" (method
not allowed); "400" (form refused with its errors).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.access_world import ACTOR_LABELS, ACTORS, World

OK, LOGIN, UNAUTHENTICATED, DENIED, HIDDEN, DONE, NOT_ALLOWED, INVALID = (
    "200",
    "login",
    "401",
    "403",
    "404",
    "done",
    "405",
    "400",
)
MISSING_ID = 10**9
OWN_FOLLOWERS = ("advisor", "manager")
OTHER_FOLLOWERS = ("other_advisor", "other_manager")
OWN_MEMBERS = ("advisor", "manager", "committee_member", "dpo", "admin")
OFFER_STAFF = ("advisor", "manager", "other_advisor", "other_manager", "admin")
CATALOGUE_EDITORS = ("manager", "other_manager", "admin")
DRAFTERS = ("manager", "other_manager", "committee_member", "admin")
OWN_DRAFTERS = ("manager", "committee_member", "admin")
# The regional committee's secretariat is the own organisation: its managers and committee members run it.
COMMITTEE_STEERING = ("manager", "committee_member", "admin")
PROTOCOL_EDITORS = ("committee_member", "admin")


def outcomes(default: str, *, anonymous: str = LOGIN, **overrides: str) -> dict[str, str]:
    expected = dict.fromkeys(ACTORS, default)
    expected["anonymous"] = anonymous
    expected.update(overrides)
    return expected


def public(default: str = OK) -> dict[str, str]:
    return dict.fromkeys(ACTORS, default)


def only(allowed: tuple[str, ...], ok: str = OK, *, refused: str = HIDDEN, anonymous: str = LOGIN):
    return outcomes(refused, anonymous=anonymous, **dict.fromkeys(allowed, ok))


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name ("app:name") or OpenAPI operationId
    obj: str  # the object asked about, in the docs' words
    expect: dict[str, str]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "GET"
    query: dict = field(default_factory=dict)
    data: Callable[[World], dict] | None = None
    # A value that changes when the request does its job: unchanged for every refused actor, changed for "done".
    effect: Callable[[World], object] | None = None

    @property
    def is_api(self) -> bool:
        return ":" not in self.name

    @property
    def id(self) -> str:
        return f"{self.method} {self.name} [{self.obj}]"


def _pk(getter):
    return lambda w: {"pk": getter(w).pk}


def _record_kwargs(side_name: str, extra: Callable | None = None):
    def kwargs(w):
        side = getattr(w, side_name)
        return {"pk": side.record.pk, **(extra(side, w) if extra else {})}

    return kwargs


def _followers(side_name: str, ok: str = OK):
    return only(OWN_FOLLOWERS if side_name == "own" else OTHER_FOLLOWERS, ok)


# The record's pages with a form, and what its followers get when they send it empty.
FORM_PAGES = {
    "jobseekers:edit": OK,
    "jobseekers:need_create": OK,
    "jobseekers:aid_request_create": OK,
    "jobseekers:followup_end": OK,
    "jobseekers:consent_withdraw": OK,
    "matching:profile": OK,
}


def _jobseeker_endpoints() -> list[Endpoint]:
    """Each page and change of a person's record, for the own organisation's person and the other's."""
    endpoints = []
    for side in ("own", "other"):
        person = (
            "person followed by the own organisation" if side == "own" else "person of another organisation"
        )
        pages = {
            "jobseekers:detail": None,
            "jobseekers:edit": None,
            "jobseekers:need_create": None,
            "jobseekers:need": lambda s, w: {"need_pk": s.need.pk},
            "jobseekers:aid_request_create": None,
            "jobseekers:aid_request": lambda s, w: {"request_pk": s.aid_request.pk},
            "jobseekers:followup_end": lambda s, w: {"followup_pk": s.record.followups.first().pk},
            "jobseekers:consent_withdraw": lambda s, w: {"consent_pk": s.consent.pk},
            "matching:profile": None,
            "matching:offers_for_person": None,
        }
        for name, extra in pages.items():
            endpoints.append(Endpoint(name, person, _followers(side), kwargs=_record_kwargs(side, extra)))
        for name in FORM_PAGES:  # their forms sent empty: 404 before reading them for non-followers
            endpoints.append(
                Endpoint(
                    name,
                    person + ": send an empty form",
                    _followers(side, FORM_PAGES[name]),
                    kwargs=_record_kwargs(side, pages[name]),
                    method="POST",
                )
            )
        posts = [
            Endpoint(
                "jobseekers:followup_add",
                person,
                _followers(side, DONE),
                kwargs=_record_kwargs(side),
                method="POST",
                data=lambda w: {"organisation": w.extra.third_organisation.pk, "since": "2026-01-05"},
                effect=lambda w, s=side: getattr(w, s).record.followups.count(),
            ),
            Endpoint(
                "jobseekers:consent_add",
                person + ", no consent yet",
                _followers(side, DONE),
                kwargs=lambda w, s=side: {"pk": getattr(w, s).newcomer.pk},
                method="POST",
                data=lambda w: {"scope": "share_record", "method": "interview", "given_on": "2026-01-05"},
                effect=lambda w, s=side: getattr(w, s).newcomer.consents.count(),
            ),
            Endpoint(
                "jobseekers:aid_request_status",
                person,
                _followers(side, DONE),
                kwargs=_record_kwargs(side, lambda s, w: {"request_pk": s.aid_request.pk}),
                method="POST",
                data=lambda w: {"status": "sent", "on": "2026-01-05"},
                effect=lambda w, s=side: (
                    type(getattr(w, s).aid_request).objects.get(pk=getattr(w, s).aid_request.pk).status
                ),
            ),
            Endpoint(
                "matching:propose",
                person,
                _followers(side, DONE),
                kwargs=_record_kwargs(side, lambda s, w: {"offer_pk": w.offer.pk}),
                method="POST",
                data=lambda w: {"direction": "person_to_employer", "score": "0.7"},
                effect=lambda w, s=side: getattr(w, s).record.referrals.count(),
            ),
            Endpoint(
                "matching_api_offers_for_person",
                person,
                only(OWN_FOLLOWERS if side == "own" else OTHER_FOLLOWERS, anonymous=UNAUTHENTICATED),
                kwargs=lambda w, s=side: {"jobseeker_id": getattr(w, s).record.pk},
            ),
        ]
        endpoints += posts
    endpoints.append(
        Endpoint(
            "matching:referral_status",
            "referral of a person followed by the own organisation",
            _followers("own", DONE),
            kwargs=lambda w: {"pk": w.own.record.pk, "referral_pk": w.referral.pk},
            method="POST",
            data=lambda w: {"status": "applied", "note": ""},
            effect=lambda w: type(w.referral).objects.get(pk=w.referral.pk).status,
        )
    )
    mixed = "another organisation's person's aid request under the URL of a person one follows"
    endpoints += [
        Endpoint(
            "jobseekers:aid_request",
            mixed,
            only(()),
            kwargs=lambda w: {"pk": w.own.record.pk, "request_pk": w.other.aid_request.pk},
        ),
        Endpoint(
            "jobseekers:aid_request_status",
            mixed,
            only(()),
            kwargs=lambda w: {"pk": w.own.record.pk, "request_pk": w.other.aid_request.pk},
            method="POST",
            data=lambda w: {"status": "sent", "on": "2026-01-05"},
            effect=lambda w: type(w.other.aid_request).objects.get(pk=w.other.aid_request.pk).status,
        ),
    ]
    endpoints.append(
        Endpoint(
            "jobseekers:detail", "an id that does not exist", only(()), kwargs=lambda w: {"pk": MISSING_ID}
        )
    )
    endpoints.append(
        Endpoint(
            "jobseekers:need",
            "need of another organisation's person under the URL of a person one follows",
            only((), refused=HIDDEN),
            kwargs=lambda w: {"pk": w.own.record.pk, "need_pk": w.other.need.pk},
        )
    )
    return endpoints


ENDPOINTS: list[Endpoint] = [
    # core and the API's own pages
    Endpoint("core:home", "home page", public()),
    Endpoint("api:api-root", "API root (nothing served)", public(HIDDEN)),
    Endpoint("api:openapi-json", "OpenAPI document", public()),
    Endpoint("api:openapi-view", "API documentation", public()),
    Endpoint("core:accessibility", "accessibility statement", public()),
    Endpoint("core:legal", "legal notice", public()),
    # accounts
    Endpoint("accounts:login", "login form", public(DONE) | {"anonymous": OK}),
    Endpoint(
        "accounts:login",
        "login with a wrong password",
        public(DONE) | {"anonymous": OK},
        method="POST",
        data=lambda w: {"username": "inconnu@example.org", "password": "mauvais"},
    ),
    Endpoint("accounts:logout", "logout", outcomes(NOT_ALLOWED)),
    Endpoint("accounts:logout", "logout", outcomes(DONE), method="POST"),
    Endpoint("accounts:profile", "own account", outcomes(OK)),
    Endpoint("accounts:second_factor", "second factor step, no password step pending", outcomes(DONE)),
    # ProConnect is off unless configured (PROCONNECT_* settings): its URLs do not exist.
    Endpoint("accounts:proconnect_login", "ProConnect login (not configured)", public(HIDDEN)),
    Endpoint("accounts:proconnect_callback", "ProConnect callback (not configured)", public(HIDDEN)),
    Endpoint("accounts:proconnect_welcome", "ProConnect welcome (not configured)", outcomes(HIDDEN)),
    Endpoint(
        "accounts:proconnect_logout_callback", "ProConnect logout callback (not configured)", public(HIDDEN)
    ),
    Endpoint("accounts:totp_enrol", "own TOTP enrolment", outcomes(OK)),
    Endpoint("accounts:totp_disable", "own TOTP", outcomes(NOT_ALLOWED)),
    Endpoint(
        "accounts:totp_disable", "own TOTP, none enrolled", outcomes(DONE), method="POST", data=lambda w: {}
    ),
    Endpoint("accounts:switch_organisation", "acting organisation", outcomes(NOT_ALLOWED)),
    Endpoint(
        "accounts:switch_organisation",
        "acting organisation: the own organisation",
        outcomes(DONE, other_advisor=DENIED, other_manager=DENIED),
        method="POST",
        data=lambda w: {"organisation": w.own.organisation.pk},
    ),
    Endpoint("accounts:organisations", "network's organisations", outcomes(OK)),
    Endpoint(
        "accounts:organisation", "an organisation", outcomes(OK), kwargs=_pk(lambda w: w.own.organisation)
    ),
    # audit
    Endpoint("audit:journal", "audit journal", only(("dpo",))),
    Endpoint("audit:journal_csv", "audit journal export", only(("dpo",))),
    # territories (public reference data)
    Endpoint("territories:index", "territories", public()),
    Endpoint("territories:communes", "communes", public()),
    Endpoint("territories:commune", "a commune", public(), kwargs=lambda w: {"code": w.commune.code}),
    Endpoint("territories:departement", "a département", public(), kwargs=lambda w: {"code": "80"}),
    Endpoint("territories:epci", "an EPCI", public(), kwargs=lambda w: {"siren": w.epci.siren}),
    Endpoint("territories:zone_emploi", "a zone d'emploi", public(), kwargs=lambda w: {"code": "3210"}),
    Endpoint("territories:bassin", "a bassin", public(), kwargs=lambda w: {"code": "3202"}),
    Endpoint("territories_api_list_communes", "communes", public()),
    Endpoint(
        "territories_api_communes_near", "communes", public(), query={"latitude": 49.9, "longitude": 2.3}
    ),
    Endpoint(
        "territories_api_get_commune", "a commune", public(), kwargs=lambda w: {"insee_code": w.commune.code}
    ),
    Endpoint("territories_api_list_departements", "départements", public()),
    Endpoint("territories_api_list_epcis", "EPCI", public()),
    Endpoint("territories_api_list_zones_emploi", "zones d'emploi", public()),
    Endpoint("territories_api_list_bassins", "bassins", public()),
    # rome (public reference data)
    Endpoint("rome:index", "ROME", public()),
    Endpoint("rome:search", "ROME search", public(), query={"q": "soignant"}),
    Endpoint("rome:domaine", "a domaine", public(), kwargs=lambda w: {"code": w.fiche.domaine_id}),
    Endpoint("rome:fiche", "a fiche", public(), kwargs=lambda w: {"code": w.fiche.code}),
    Endpoint("rome_api_appellations", "appellations", public(), query={"q": "soignant"}),
    Endpoint(
        "rome_api_appellation", "an appellation", public(), kwargs=lambda w: {"code_ogr": w.appellation.pk}
    ),
    Endpoint("rome_api_fiches", "fiches", public()),
    Endpoint("rome_api_fiche", "a fiche", public(), kwargs=lambda w: {"code": w.fiche.code}),
    Endpoint("rome_api_domaines", "domaines", public()),
    # offers: the pool is public; sources, import reports and ROME coding are for the partners' staff
    Endpoint("offers:search", "offer pool", public()),
    Endpoint("offers:detail", "an offer", public(), kwargs=_pk(lambda w: w.offer)),
    Endpoint("offers_api_search", "offer pool", public()),
    Endpoint("offers_api_detail", "an offer", public(), kwargs=lambda w: {"offer_id": w.offer.pk}),
    Endpoint("offers:sources", "offer sources", only(OFFER_STAFF, refused=DENIED)),
    Endpoint("offers:upload", "import form", only(OFFER_STAFF, refused=DENIED)),
    Endpoint(
        "offers:upload",
        "import without a file",
        only(OFFER_STAFF, INVALID, refused=DENIED),
        method="POST",
        data=lambda w: {"source": w.own.source.pk, "format": "francetravail"},
    ),
    Endpoint(
        "offers:source",
        "the own organisation's source",
        only(OFFER_STAFF, refused=DENIED),
        kwargs=lambda w: {"name": w.own.source.name},
    ),
    Endpoint(
        "offers:run",
        "import report of the own organisation's source",
        outcomes(DENIED, advisor=OK, manager=OK, admin=OK, other_advisor=HIDDEN, other_manager=HIDDEN),
        kwargs=_pk(lambda w: w.own.run),
    ),
    Endpoint(
        "offers:run",
        "import report of another organisation's source",
        outcomes(DENIED, other_advisor=OK, other_manager=OK, admin=OK, advisor=HIDDEN, manager=HIDDEN),
        kwargs=_pk(lambda w: w.other.run),
    ),
    Endpoint("offers:reviews", "offers to code in the ROME", only(OFFER_STAFF, refused=DENIED)),
    Endpoint(
        "offers:review", "an offer to code", only(OFFER_STAFF, refused=DENIED), kwargs=_pk(lambda w: w.review)
    ),
    Endpoint(
        "offers:review",
        "an offer to code: choose the appellation",
        only(OFFER_STAFF, DONE, refused=DENIED),
        kwargs=_pk(lambda w: w.review),
        method="POST",
        data=lambda w: {"appellation": w.appellation.pk},
        effect=lambda w: type(w.review).objects.get(pk=w.review.pk).status,
    ),
    # job seekers and matching
    *_jobseeker_endpoints(),
    Endpoint("jobseekers:list", "people followed", outcomes(OK)),
    Endpoint("jobseekers:aid_requests", "aid requests of the people followed", outcomes(OK)),
    Endpoint(
        "jobseekers:create",
        "new record",
        outcomes(OK, committee_member=DENIED, dpo=DENIED, admin=DENIED),
    ),
    Endpoint("jobseekers:dashboard", "aid dashboard (aggregates)", outcomes(OK, admin=DENIED, dpo=DENIED)),
    Endpoint("jobseekers:dashboard_csv", "aid dashboard CSV", outcomes(OK, admin=DENIED, dpo=DENIED)),
    Endpoint("matching:people_for_offer", "people for an offer", outcomes(OK), kwargs=_pk(lambda w: w.offer)),
    Endpoint(
        "matching_api_people_for_offer",
        "people for an offer",
        outcomes(OK, anonymous=UNAUTHENTICATED),
        kwargs=lambda w: {"offer_id": w.offer.pk},
    ),
    # aids
    Endpoint("aids:catalogue", "aid catalogue", public()),
    Endpoint("aids:simulator", "aid simulator", public()),
    Endpoint("aids:results", "simulator results without answers (back to the form)", public(DONE)),
    Endpoint("aids:detail", "a published aid", public(), kwargs=lambda w: {"aid_id": w.aid.pk}),
    Endpoint(
        "aids:detail",
        "an unpublished aid",
        only(CATALOGUE_EDITORS, anonymous=HIDDEN),
        kwargs=lambda w: {"aid_id": w.draft_aid.pk},
    ),
    Endpoint("aids:create", "new aid", only(CATALOGUE_EDITORS, refused=DENIED)),
    Endpoint(
        "aids:edit", "an aid", only(CATALOGUE_EDITORS, refused=DENIED), kwargs=lambda w: {"aid_id": w.aid.pk}
    ),
    Endpoint(
        "aids:edit",
        "an aid: save an empty form",
        only(CATALOGUE_EDITORS, refused=DENIED),
        kwargs=lambda w: {"aid_id": w.aid.pk},
        method="POST",
        data=lambda w: {},
        effect=lambda w: type(w.aid).objects.get(pk=w.aid.pk).label,
    ),
    Endpoint("aids_api_evaluate_one", "a situation", public(), method="POST", data=lambda w: {}),
    Endpoint(
        "aids_api_evaluate_batch", "situations", public(), method="POST", data=lambda w: {"situations": [{}]}
    ),
    Endpoint("aids_api_catalogue", "aid catalogue", public()),
    Endpoint("aids_api_catalogue_detail", "a published aid", public(), kwargs=lambda w: {"aid_id": w.aid.pk}),
    Endpoint(
        "aids_api_catalogue_detail",
        "an unpublished aid",
        public(HIDDEN),
        kwargs=lambda w: {"aid_id": w.draft_aid.pk},
    ),
    # reach
    Endpoint("reach:index", "travel times", public()),
    Endpoint("reach_api_trip", "a trip", public(), query={"origin": "80021", "destination": "80021"}),
    Endpoint("reach_api_reachable", "reachable communes", public(), query={"origin": "80021"}),
    # training
    Endpoint("training:sessions", "training sessions", outcomes(OK)),
    Endpoint(
        "training:session", "a training session", outcomes(OK), kwargs=_pk(lambda w: w.training_session)
    ),
    Endpoint(
        "training:session_create", "new session", only(("manager", "other_manager", "admin"), refused=DENIED)
    ),
    # diagnosis: shared aggregates for every agent; action lines edited by their owner's drafters
    Endpoint("diagnosis:index", "territorial diagnosis", outcomes(OK)),
    Endpoint("diagnosis:compare", "territory comparison", outcomes(OK)),
    Endpoint("diagnosis:compare_occupations", "occupation comparison", outcomes(OK)),
    Endpoint(
        "diagnosis:territory",
        "a département",
        outcomes(OK),
        kwargs=lambda w: {"kind": "departement", "code": "80"},
    ),
    Endpoint(
        "diagnosis:report",
        "its PDF report",
        outcomes(OK),
        kwargs=lambda w: {"kind": "departement", "code": "80"},
    ),
    Endpoint(
        "diagnosis:export",
        "one of its tables",
        outcomes(OK),
        kwargs=lambda w: {"kind": "departement", "code": "80", "name": "carte", "fmt": "csv"},
    ),
    Endpoint("diagnosis:recompute", "indicators", outcomes(NOT_ALLOWED)),
    Endpoint(
        "diagnosis:recompute",
        "indicators",
        only(("admin",), DONE, refused=DENIED),
        method="POST",
        data=lambda w: {},
    ),
    Endpoint("diagnosis:actions", "action lines", outcomes(OK)),
    Endpoint("diagnosis:action_create", "new action line", only(DRAFTERS, refused=DENIED)),
    Endpoint(
        "diagnosis:action",
        "the own organisation's action line",
        outcomes(OK),
        kwargs=_pk(lambda w: w.own.action_line),
    ),
    Endpoint(
        "diagnosis:action_edit",
        "the own organisation's action line",
        only(OWN_DRAFTERS, refused=DENIED),
        kwargs=_pk(lambda w: w.own.action_line),
    ),
    Endpoint(
        "diagnosis:action_status",
        "the own organisation's action line: propose it",
        only(OWN_DRAFTERS, DONE, refused=DENIED),
        kwargs=_pk(lambda w: w.own.action_line),
        method="POST",
        data=lambda w: {"status": "proposed", "reason": "prêt"},
        effect=lambda w: type(w.own.action_line).objects.get(pk=w.own.action_line.pk).status,
    ),
    Endpoint("diagnosis_api_datasets", "datasets", outcomes(OK, anonymous=UNAUTHENTICATED)),
    Endpoint(
        "diagnosis_api_indicators",
        "indicators",
        outcomes(OK, anonymous=UNAUTHENTICATED),
        query={"territory_kind": "departement", "territory_code": "80"},
    ),
    Endpoint("diagnosis_api_action_lines", "action lines", outcomes(OK, anonymous=UNAUTHENTICATED)),
    # governance: committees are public bodies (every agent reads them); their secretariat runs them
    Endpoint("governance:home", "committees", outcomes(OK)),
    Endpoint("governance:committee_create", "new committee", only(PROTOCOL_EDITORS, refused=DENIED)),
    Endpoint("governance:committee", "a committee", outcomes(OK), kwargs=_pk(lambda w: w.committee)),
    Endpoint(
        "governance:committee_edit",
        "a committee",
        only(COMMITTEE_STEERING, refused=DENIED),
        kwargs=_pk(lambda w: w.committee),
    ),
    Endpoint("governance:composition", "its composition", outcomes(OK), kwargs=_pk(lambda w: w.committee)),
    Endpoint(
        "governance:member_create",
        "a new member",
        only(COMMITTEE_STEERING, refused=DENIED),
        kwargs=lambda w: {"committee_pk": w.committee.pk},
    ),
    Endpoint(
        "governance:member_edit",
        "a member",
        only(COMMITTEE_STEERING, refused=DENIED),
        kwargs=lambda w: {"pk": w.committee.members.first().pk},
    ),
    Endpoint(
        "governance:meeting_create",
        "a new meeting",
        only(COMMITTEE_STEERING, refused=DENIED),
        kwargs=lambda w: {"committee_pk": w.committee.pk},
    ),
    Endpoint("governance:meeting", "a meeting", outcomes(OK), kwargs=_pk(lambda w: w.meeting)),
    Endpoint(
        "governance:meeting_edit",
        "a meeting",
        only(COMMITTEE_STEERING, refused=DENIED),
        kwargs=_pk(lambda w: w.meeting),
    ),
    Endpoint("governance:ical", "its invitation", outcomes(OK), kwargs=_pk(lambda w: w.meeting)),
    Endpoint("governance:session", "its session", outcomes(OK), kwargs=_pk(lambda w: w.meeting)),
    Endpoint(
        "governance:quorum", "its quorum (htmx fragment)", outcomes(OK), kwargs=_pk(lambda w: w.meeting)
    ),
    Endpoint("governance:minutes", "its minutes (PDF)", outcomes(OK), kwargs=_pk(lambda w: w.meeting)),
    Endpoint(
        "governance:document",
        "a meeting document (private to the committee)",
        only(COMMITTEE_STEERING),
        kwargs=_pk(lambda w: w.document),
    ),
    *[
        Endpoint(
            f"governance:{name}",
            "a meeting",
            only(COMMITTEE_STEERING, DONE, refused=DENIED),
            kwargs=_pk(lambda w: w.meeting),
            method="POST",
            data=data,
            effect=effect,
        )
        for name, data, effect in [
            (
                "agenda_add",
                lambda w: {"order": 1, "title": "Point matrice"},
                lambda w: w.meeting.agenda_items.count(),
            ),
            (
                "document_add",
                lambda w: {
                    "title": "Note matrice 2",
                    "file": SimpleUploadedFile("note-2.pdf", b"%PDF-1.4 2"),
                },
                lambda w: w.meeting.documents.count(),
            ),
            ("invite", lambda w: {}, lambda w: w.meeting.invitations.count()),
            (
                "attendance",
                lambda w: {"member": w.extra.member.pk, "status": "present"},
                lambda w: w.meeting.attendances.count(),
            ),
            (
                "proxy",
                lambda w: {
                    "giver": w.extra.member.pk,
                    "holder": w.committee.members.get(chair="state").pk,
                },
                lambda w: w.meeting.attendances.count(),
            ),
            (
                "motion_add",
                lambda w: {"title": "Délibération matrice", "kind": "other"},
                lambda w: w.meeting.motions.count(),
            ),
        ]
    ],
    Endpoint(
        "governance:vote",
        "a motion",
        only(COMMITTEE_STEERING, refused=DENIED),
        kwargs=_pk(lambda w: w.motion),
    ),
    Endpoint(
        "governance:action_add",
        "a motion",
        only(COMMITTEE_STEERING, refused=DENIED),
        kwargs=_pk(lambda w: w.motion),
    ),
    Endpoint(
        "governance:action_status",
        "a follow-up action",
        only(COMMITTEE_STEERING, DONE, refused=DENIED),
        kwargs=_pk(lambda w: w.followup_action),
        method="POST",
        data=lambda w: {"status": "done"},
        effect=lambda w: type(w.followup_action).objects.get(pk=w.followup_action.pk).status,
    ),
    Endpoint("governance:configuration", "region's configuration check", outcomes(OK)),
    Endpoint("governance:queries", "indicator queries", outcomes(OK)),
    Endpoint("governance:protocol", "the protocol", outcomes(OK), kwargs=lambda w: {"slug": w.protocol.slug}),
    Endpoint(
        "governance:protocol_public",
        "the protocol: open its public summary",
        only(PROTOCOL_EDITORS, DONE, refused=DENIED),
        kwargs=lambda w: {"slug": w.protocol.slug},
        method="POST",
        data=lambda w: {"public": "1"},
        effect=lambda w: type(w.protocol).objects.get(pk=w.protocol.pk).public_summary,
    ),
    Endpoint(
        "governance:commitment_create",
        "a new commitment",
        only(PROTOCOL_EDITORS, refused=DENIED),
        kwargs=lambda w: {"slug": w.protocol.slug},
    ),
    Endpoint(
        "governance:dashboard", "its dashboard", outcomes(OK), kwargs=lambda w: {"slug": w.protocol.slug}
    ),
    Endpoint(
        "governance:dashboard_export",
        "its dashboard (spreadsheet)",
        outcomes(OK),
        kwargs=lambda w: {"slug": w.protocol.slug, "fmt": "xlsx"},
    ),
    Endpoint(
        "governance:public_summary",
        "its public summary, not opened",
        public(HIDDEN),
        kwargs=lambda w: {"slug": w.protocol.slug},
    ),
    Endpoint(
        "governance:commitment", "a commitment", outcomes(OK), kwargs=_pk(lambda w: w.own.sheet.commitment)
    ),
    Endpoint(
        "governance:commitment_edit",
        "a commitment",
        only(PROTOCOL_EDITORS, refused=DENIED),
        kwargs=_pk(lambda w: w.own.sheet.commitment),
    ),
    Endpoint(
        "governance:sheet_create",
        "a new action sheet",
        only(PROTOCOL_EDITORS, refused=DENIED),
        kwargs=lambda w: {"commitment_pk": w.own.sheet.commitment_id},
    ),
    Endpoint(
        "governance:sheet",
        "the own organisation's action sheet",
        outcomes(OK),
        kwargs=_pk(lambda w: w.own.sheet),
    ),
    Endpoint(
        "governance:sheet_edit",
        "the own organisation's action sheet",
        only(OWN_MEMBERS, refused=DENIED),
        kwargs=_pk(lambda w: w.own.sheet),
    ),
    Endpoint(
        "governance:indicator_create",
        "a new indicator",
        only(PROTOCOL_EDITORS, refused=DENIED),
        kwargs=lambda w: {"commitment_pk": w.indicator.commitment_id},
    ),
    Endpoint("governance:indicator", "an indicator", outcomes(OK), kwargs=_pk(lambda w: w.indicator)),
    Endpoint(
        "governance:indicator_edit",
        "an indicator",
        only(PROTOCOL_EDITORS, refused=DENIED),
        kwargs=_pk(lambda w: w.indicator),
    ),
    Endpoint("governance_api_committees", "committees", outcomes(OK, anonymous=UNAUTHENTICATED)),
    Endpoint(
        "governance_api_committee",
        "a committee",
        outcomes(OK, anonymous=UNAUTHENTICATED),
        kwargs=lambda w: {"committee_id": w.committee.pk},
    ),
    Endpoint(
        "governance_api_configuration_check",
        "region's configuration check",
        outcomes(OK, anonymous=UNAUTHENTICATED),
        kwargs=lambda w: {"region_code": "32"},
    ),
    Endpoint(
        "governance_api_protocol_indicators",
        "protocol indicators",
        outcomes(OK, anonymous=UNAUTHENTICATED),
        kwargs=lambda w: {"slug": w.protocol.slug},
    ),
    # companies: the register and contact log are shared by the network (multiple solicitation is the risk)
    Endpoint("companies:index", "company register", outcomes(OK)),
    Endpoint("companies:targets", "prospecting targets", outcomes(OK)),
    Endpoint("companies:links_review", "offer employers to check", outcomes(OK)),
    Endpoint(
        "companies:links_review",
        "an offer employer link: confirm it",
        outcomes(DONE),
        method="POST",
        data=lambda w: {"link": w.link.pk, "decision": "confirm"},
        effect=lambda w: type(w.link).objects.get(pk=w.link.pk).status,
    ),
    Endpoint(
        "companies:establishment",
        "an establishment",
        outcomes(OK),
        kwargs=lambda w: {"siret": w.establishment.siret},
    ),
    Endpoint(
        "companies:merge",
        "an establishment: merge it",
        only(("admin",), DONE, refused=DENIED),
        kwargs=lambda w: {"siret": w.extra.duplicate.siret},
        method="POST",
        data=lambda w: {"kept": w.establishment.siret, "reason": "doublon"},
        effect=lambda w: type(w.extra.duplicate).objects.get(pk=w.extra.duplicate.pk).merged_into_id,
    ),
    Endpoint("companies:agenda", "recruitment agenda", public()),
    Endpoint("companies:agenda_ics", "recruitment agenda (iCal)", public()),
    Endpoint("companies:operation_create", "new operation", outcomes(OK)),
    Endpoint("companies:operation", "a public operation", public(), kwargs=_pk(lambda w: w.own.operation)),
    Endpoint(
        "companies:operation",
        "an operation not published in the public agenda",
        outcomes(OK),
        kwargs=_pk(lambda w: w.other.operation),
    ),
    Endpoint(
        "companies:operation",
        "register a person followed by the own organisation",
        public(DONE)
        | {"anonymous": OK, "committee_member": HIDDEN, "dpo": HIDDEN, "admin": HIDDEN}
        | dict.fromkeys(OTHER_FOLLOWERS, HIDDEN),
        kwargs=_pk(lambda w: w.own.operation),
        method="POST",
        data=lambda w: {"action": "person", "jobseeker": w.own.record.pk},
        effect=lambda w: w.own.operation.participants.count(),
    ),
]


def _empty_form(name: str, obj: str, allowed: tuple[str, ...], kwargs=lambda w: {}) -> Endpoint:
    """A form sent empty: refused before reading it (403) to those who may not, its errors shown (200) to those
    who may. Either way nothing is created."""
    return Endpoint(
        name, obj + ": send an empty form", only(allowed, refused=DENIED), kwargs=kwargs, method="POST"
    )


# Forms of every create and edit page, sent empty: the permission gate comes before the form.
ENDPOINTS += [
    _empty_form("jobseekers:create", "new record", ("advisor", "manager", "other_advisor", "other_manager")),
    _empty_form("aids:create", "new aid", CATALOGUE_EDITORS),
    _empty_form("training:session_create", "new session", ("manager", "other_manager", "admin")),
    _empty_form("diagnosis:action_create", "new action line", DRAFTERS),
    _empty_form(
        "diagnosis:action_edit",
        "the own organisation's action line",
        OWN_DRAFTERS,
        _pk(lambda w: w.own.action_line),
    ),
    _empty_form("governance:committee_create", "new committee", PROTOCOL_EDITORS),
    _empty_form("governance:committee_edit", "a committee", COMMITTEE_STEERING, _pk(lambda w: w.committee)),
    _empty_form(
        "governance:member_create",
        "a new member",
        COMMITTEE_STEERING,
        lambda w: {"committee_pk": w.committee.pk},
    ),
    _empty_form(
        "governance:meeting_create",
        "a new meeting",
        COMMITTEE_STEERING,
        lambda w: {"committee_pk": w.committee.pk},
    ),
    _empty_form("governance:meeting_edit", "a meeting", COMMITTEE_STEERING, _pk(lambda w: w.meeting)),
    _empty_form("governance:vote", "a motion", COMMITTEE_STEERING, _pk(lambda w: w.motion)),
    _empty_form("governance:action_add", "a motion", COMMITTEE_STEERING, _pk(lambda w: w.motion)),
    _empty_form(
        "governance:commitment_create",
        "a new commitment",
        PROTOCOL_EDITORS,
        lambda w: {"slug": w.protocol.slug},
    ),
    _empty_form(
        "governance:commitment_edit", "a commitment", PROTOCOL_EDITORS, _pk(lambda w: w.own.sheet.commitment)
    ),
    _empty_form(
        "governance:sheet_create",
        "a new action sheet",
        PROTOCOL_EDITORS,
        lambda w: {"commitment_pk": w.own.sheet.commitment_id},
    ),
    _empty_form(
        "governance:sheet_edit",
        "the own organisation's action sheet",
        OWN_MEMBERS,
        _pk(lambda w: w.own.sheet),
    ),
    _empty_form(
        "governance:indicator_create",
        "a new indicator",
        PROTOCOL_EDITORS,
        lambda w: {"commitment_pk": w.indicator.commitment_id},
    ),
    _empty_form(
        "governance:indicator", "an indicator (new measurement)", PROTOCOL_EDITORS, _pk(lambda w: w.indicator)
    ),
    _empty_form("governance:indicator_edit", "an indicator", PROTOCOL_EDITORS, _pk(lambda w: w.indicator)),
    Endpoint(
        "governance:sheet",
        "the own organisation's action sheet: add a milestone",
        only(OWN_MEMBERS, DONE, refused=DENIED),
        kwargs=_pk(lambda w: w.own.sheet),
        method="POST",
        data=lambda w: {"m-kind": "milestone", "m-title": "Jalon matrice", "m-due_on": "2026-12-31"},
        effect=lambda w: w.own.sheet.milestones.count(),
    ),
    Endpoint(
        "companies:establishment",
        "an establishment: record a contact",
        outcomes(DONE),
        kwargs=lambda w: {"siret": w.establishment.siret},
        method="POST",
        data=lambda w: {
            "kind": "call",
            "date": "2026-11-20",
            "purpose": "Besoins",
            "consent_to_contact": "on",
        },
        effect=lambda w: w.establishment.contacts.count(),
    ),
    Endpoint(
        "training:session_create",
        "new session",
        only(("manager", "other_manager", "admin"), DONE, refused=DENIED),
        method="POST",
        data=lambda w: {
            "title": "DEAS",
            "commune_code": w.commune.code,
            "rome_codes": "j1501",
            "certifying": "1",
            "places": "24",
            "start_date": "2026-09-01",
            "end_date": "2027-06-30",
        },
        effect=lambda w: type(w.training_session).objects.count(),
    ),
]


# --- Lists: what each actor sees of the private objects of both organisations --------------------------------


@dataclass(frozen=True)
class Listing:
    """A list, search or export page and a private object's marker (a surname, a file name, a title): the page
    shows the marker to the actors of `seen_by` and to nobody else."""

    name: str
    obj: str
    marker: str | Callable[[World], str]
    seen_by: tuple[str, ...]
    kwargs: Callable[[World], dict] = lambda w: {}
    query: dict = field(default_factory=dict)
    method: str = "GET"

    @property
    def is_api(self) -> bool:
        return ":" not in self.name


OWN_PERSON, OTHER_PERSON = (
    "Zorglub",
    "Quibble",
)  # the surnames of the two organisations' people (access_world)

LISTINGS: list[Listing] = [
    Listing("jobseekers:list", "the own organisation's person", OWN_PERSON, OWN_FOLLOWERS),
    Listing("jobseekers:list", "another organisation's person", OTHER_PERSON, OTHER_FOLLOWERS),
    Listing("jobseekers:list", "search by first name", OTHER_PERSON, OTHER_FOLLOWERS, query={"q": "Camille"}),
    Listing("jobseekers:aid_requests", "the own organisation's person", OWN_PERSON, OWN_FOLLOWERS),
    Listing("jobseekers:aid_requests", "another organisation's person", OTHER_PERSON, OTHER_FOLLOWERS),
    Listing("jobseekers:dashboard_csv", "names (aggregates only)", OWN_PERSON, ()),
    Listing(
        "matching:people_for_offer",
        "another organisation's person",
        OTHER_PERSON,
        OTHER_FOLLOWERS,
        kwargs=_pk(lambda w: w.offer),
    ),
    Listing(
        "matching_api_people_for_offer",
        "another organisation's person",
        OTHER_PERSON,
        OTHER_FOLLOWERS,
        kwargs=lambda w: {"offer_id": w.offer.pk},
    ),
    Listing(
        "companies:operation",
        "the own organisation's person, among the people one may register",
        OWN_PERSON,
        OWN_FOLLOWERS,
        kwargs=_pk(lambda w: w.own.operation),
    ),
    Listing(
        "companies:operation",
        "another organisation's person, among the people one may register",
        OTHER_PERSON,
        OTHER_FOLLOWERS,
        kwargs=_pk(lambda w: w.own.operation),
    ),
    Listing(
        "matching:people_for_offer",
        "the own organisation's person",
        OWN_PERSON,
        OWN_FOLLOWERS,
        kwargs=_pk(lambda w: w.offer),
    ),
    Listing(
        "matching_api_people_for_offer",
        "the own organisation's person",
        OWN_PERSON,
        OWN_FOLLOWERS,
        kwargs=lambda w: {"offer_id": w.offer.pk},
    ),
    Listing("companies:agenda", "an operation not published in the public agenda", "Job dating interne", ()),
    Listing(
        "companies:agenda_ics", "an operation not published in the public agenda", "Job dating interne", ()
    ),
    Listing(
        "offers:source",
        "another organisation's import report",
        "offres-quibble.json",
        ("other_advisor", "other_manager", "admin"),
        kwargs=lambda w: {"name": w.other.source.name},
    ),
    Listing(
        "companies:establishment",
        "people placed through referrals (a count only)",
        OWN_PERSON,
        (),
        kwargs=lambda w: {"siret": w.establishment.siret},
    ),
    Listing(
        "offers:sources",
        "link to another organisation's import report",
        lambda w: f'href="{w.other.run.get_absolute_url()}"',
        ("other_advisor", "other_manager", "admin"),
    ),
    Listing(
        "governance:meeting",
        "titles of the committee's private documents",
        "Note confidentielle matrice",
        COMMITTEE_STEERING,
        kwargs=_pk(lambda w: w.meeting),
    ),
    Listing(
        "accounts:organisation",
        "members of another organisation",
        "Membreautre",
        OTHER_FOLLOWERS,
        kwargs=_pk(lambda w: w.other.organisation),
    ),
]


# --- docs/security.md ------------------------------------------------------------------------------------------

DOCS_START = "<!-- access-matrix:start (generated by `.venv/bin/python -m tests.security.write_access_matrix_docs`) -->"
DOCS_END = "<!-- access-matrix:end -->"


def _paths() -> tuple[dict[str, str], dict[str, str]]:
    from django.urls import get_resolver

    from config.api import api

    api_paths = {
        operation["operationId"]: path
        for path, operations in api.get_openapi_schema()["paths"].items()
        for operation in operations.values()
    }
    url_paths = {}
    resolver = get_resolver()
    for name in {e.name for e in ENDPOINTS + LISTINGS if not e.is_api}:
        app, _, short = name.partition(":")
        prefix, sub = resolver.namespace_dict[app]
        route = str(sub.reverse_dict.getlist(short)[0][0][0][0])
        url_paths[name] = ("/" + prefix + route).replace("%(", "<").replace(")s", ">").replace("\\", "")
    return api_paths, url_paths


def _where(item, api_paths, url_paths) -> str:
    return f"`{item.method} {api_paths[item.name] if item.is_api else url_paths[item.name]}`"


def render_docs_section() -> str:
    api_paths, url_paths = _paths()
    lines = [
        DOCS_START,
        "",
        "| endpoint | object | " + " | ".join(ACTOR_LABELS[a] for a in ACTORS) + " |",
        "|---|---|" + "---|" * len(ACTORS),
    ]
    for endpoint in ENDPOINTS:
        row = [_where(endpoint, api_paths, url_paths), endpoint.obj, *[endpoint.expect[a] for a in ACTORS]]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Lists, searches and exports: who sees a private object in them.", ""]
    lines += ["| list | private object | seen by |", "|---|---|---|"]
    for listing in LISTINGS:
        seen = ", ".join(ACTOR_LABELS[a] for a in listing.seen_by) or "nobody"
        query = f" `?{'&'.join(f'{k}={v}' for k, v in listing.query.items())}`" if listing.query else ""
        lines.append(f"| {_where(listing, api_paths, url_paths)}{query} | {listing.obj} | {seen} |")
    lines += ["", DOCS_END]
    return "\n".join(lines)


def current_docs_section(text: str) -> str:
    start, end = text.find(DOCS_START), text.find(DOCS_END)
    return text[start : end + len(DOCS_END)] if start >= 0 and end > start else ""


def write_docs() -> None:
    from django.conf import settings

    path = Path(settings.PROJECT_DIR) / "docs" / "security.md"
    text = path.read_text()
    current = current_docs_section(text)
    if not current:
        raise SystemExit(f"{path}: the markers {DOCS_START!r} and {DOCS_END!r} are missing")
    path.write_text(text.replace(current, render_docs_section()))
