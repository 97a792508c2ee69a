"""Reads for matching: the in-memory indexes (built once per process, rebuilt when their tables change) and
the two questions advisors ask — which offers for this person, which people for this offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db.models import Count, Max, Min
from django.utils import timezone

from accounts.models import User
from jobseekers.models import Consent, JobSeeker
from jobseekers.selectors import visible_records
from matching.engine import (
    CONTRACTS,
    WORKING_TIMES,
    Match,
    OfferIndex,
    PeopleIndex,
    Profile,
    rank_offers,
    rank_people,
)
from matching.models import EXPERIENCE_MONTHS, SearchProfile
from matching.occupations import OccupationGraph
from offers.models import Offer
from reach.selectors import travel_model
from reach.travel import Mode
from rome.models import DomaineProfessionnel, Fiche, FicheSkill, Mobility

_cache: dict[str, tuple] = {}


def _cached(name: str, version, build):
    cached = _cache.get(name)
    if cached is None or cached[0] != version:
        cached = (version, build())
        _cache[name] = cached
    return cached[1]


def occupation_graph() -> OccupationGraph:
    version = (
        tuple(Fiche.objects.aggregate(count=Count("code"), first=Min("code"), last=Max("code")).values()),
        Mobility.objects.count(),
        FicheSkill.objects.count(),
    )

    def build():
        fiches = list(
            Fiche.objects.order_by("code").values_list("code", "label", "parent_code", "domaine_id")
        )
        codes = [row[0] for row in fiches]
        index = {code: i for i, code in enumerate(codes)}
        parents = {code: i for i, code in enumerate(sorted({row[2] for row in fiches}))}
        domaines = {
            code: i for i, code in enumerate(DomaineProfessionnel.objects.values_list("code", flat=True))
        }
        mobility: dict[int, list[tuple[int, int]]] = {}
        for source, target, order in Mobility.objects.values_list("source_id", "target_id", "order"):
            mobility.setdefault(index[source], []).append((index[target], order))
        core: list[set[int]] = [set() for _ in codes]
        every: list[set[int]] = [set() for _ in codes]
        for fiche, skill, is_core in FicheSkill.objects.values_list(
            "fiche_id", "skill_id", "is_core"
        ).iterator(chunk_size=20000):
            (core if is_core else every)[index[fiche]].add(skill)
        return OccupationGraph(
            codes=codes,
            labels=[row[1] for row in fiches],
            parents=np.array([parents[row[2]] for row in fiches], dtype=np.int32),
            domaines=np.array([domaines.get(row[3], -1) for row in fiches], dtype=np.int32),
            mobility=mobility,
            core_skills=[frozenset(c or e) for c, e in zip(core, every, strict=True)],
        )

    return _cached("graph", version, build)


def _days(moment: datetime | None) -> float:
    return np.nan if moment is None else moment.timestamp() / 86400.0


def offer_index() -> OfferIndex:
    open_offers = Offer.objects.filter(status=Offer.Status.OPEN)
    version = tuple(open_offers.aggregate(count=Count("id"), latest=Max("rebuilt_at")).values())

    def build():
        graph, travel = occupation_graph(), travel_model()
        rows = list(
            open_offers.order_by("pk").values_list(
                "pk",
                "fiche_id",
                "commune_id",
                "contract_type",
                "working_time",
                "experience_months_min",
                "published_at",
            )
        )
        contract_index = {code: i for i, code in enumerate(CONTRACTS)}
        working_index = {code: i for i, code in enumerate(WORKING_TIMES)}
        return OfferIndex(
            ids=np.array([r[0] for r in rows], dtype=np.int64),
            fiches=np.array([graph.index.get(r[1], -1) for r in rows], dtype=np.int32),
            communes=np.array([travel.index.get(r[2], -1) for r in rows], dtype=np.int32),
            contracts=np.array([contract_index.get(r[3], -1) for r in rows], dtype=np.int8),
            working_times=np.array([working_index.get(r[4] or "", 0) for r in rows], dtype=np.int8),
            experience_months=np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float),
            published_days=np.array([_days(r[6]) for r in rows], dtype=float),
        )

    return _cached("offers", version, build)


def profile_of(search: SearchProfile, record: JobSeeker) -> Profile:
    return Profile(
        residence=record.commune_id or "",
        wanted_fiches=sorted({a.fiche_id for a in search.appellations.all()}),
        skills=frozenset(search.skills.values_list("code_ogr", flat=True)),
        experience_months=EXPERIENCE_MONTHS.get(search.experience, 0),
        contracts=frozenset(search.contract_types),
        working_time=search.working_time,
        modes=search.modes,
        max_minutes=float(search.max_commute_minutes),
        has_licence=bool(record.has_driving_licence),
        has_car=bool(record.has_vehicle),
    )


@dataclass
class OfferMatch:
    offer: Offer
    match: Match


def offers_for(
    *, record: JobSeeker, limit: int = 20, include_unreachable: bool = False, filters: dict | None = None
) -> list[OfferMatch]:
    """The best offers of the pool for a person (the caller has checked access and audits the read)."""
    search = SearchProfile.objects.filter(jobseeker=record).first()
    if search is None:
        return []
    offers = offer_index()
    filters = filters or {}
    mask = np.ones(len(offers), dtype=bool)
    if filters.get("contract_type"):
        mask &= offers.contracts == CONTRACTS.index(filters["contract_type"])
    if filters.get("published_within_days"):
        mask &= offers.published_days >= timezone.now().timestamp() / 86400.0 - int(
            filters["published_within_days"]
        )
    place = {name: filters[name] for name in ("departement_code", "bassin_code") if filters.get(name)}
    if place:
        ids = Offer.objects.filter(status=Offer.Status.OPEN, **place).values_list("pk", flat=True)
        mask &= np.isin(offers.ids, np.fromiter(ids, dtype=np.int64))
    matches = rank_offers(
        profile=profile_of(search, record),
        offers=offers,
        graph=occupation_graph(),
        travel=travel_model(),
        today=timezone.now().timestamp() / 86400.0,
        limit=limit,
        include_unreachable=include_unreachable,
        candidate_mask=mask,
    )
    sort = filters.get("sort")
    if sort == "time":
        matches.sort(key=lambda m: (m.minutes is None, m.minutes or 0))
    elif sort == "date":
        published = dict(zip(offers.ids.tolist(), offers.published_days.tolist(), strict=True))
        matches.sort(key=lambda m: -(published.get(m.offer_id) or 0))
    by_id = Offer.objects.select_related("commune", "fiche").in_bulk([m.offer_id for m in matches])
    return [OfferMatch(offer=by_id[m.offer_id], match=m) for m in matches if m.offer_id in by_id]


def people_index() -> PeopleIndex:
    profiles = SearchProfile.objects.filter(jobseeker__anonymised_at__isnull=True)
    version = tuple(profiles.aggregate(count=Count("id"), latest=Max("updated_at")).values())

    def build():
        graph, travel = occupation_graph(), travel_model()
        rows = list(
            profiles.order_by("jobseeker_id").values_list(
                "jobseeker_id",
                "jobseeker__commune_id",
                "max_commute_minutes",
                "contract_types",
                "uses_car",
                "uses_two_wheeler",
                "uses_public_transport",
                "uses_bike",
                "walks",
            )
        )
        wanted: dict[int, list[int]] = {}
        for jobseeker, fiche in SearchProfile.appellations.through.objects.filter(
            searchprofile__in=profiles
        ).values_list("searchprofile__jobseeker_id", "appellation__fiche_id"):
            if fiche in graph.index:
                wanted.setdefault(jobseeker, []).append(graph.index[fiche])
        offsets, fiches = [0], []
        for row in rows:
            fiches += sorted(set(wanted.get(row[0], [])))
            offsets.append(len(fiches))
        modes = list(Mode)
        return PeopleIndex(
            ids=np.array([r[0] for r in rows], dtype=np.int64),
            residences=np.array([travel.index.get(r[1], 0) for r in rows], dtype=np.int32),
            mode_masks=np.array(
                [
                    sum(1 << modes.index(m) for m, used in zip(modes, r[4:9], strict=True) if used)
                    for r in rows
                ],
                dtype=np.int32,
            ),
            max_minutes=np.array([float(r[2]) for r in rows]),
            wanted_offsets=np.array(offsets, dtype=np.int64),
            wanted_fiches=np.array(fiches, dtype=np.int32),
            contract_masks=np.array(
                [sum(1 << CONTRACTS.index(c) for c in (r[3] or []) if c in CONTRACTS) for r in rows],
                dtype=np.int32,
            ),
        )

    return _cached("people", version, build)


def consenting_visible_ids(user: User) -> list[int]:
    """Records the user may see whose person agreed to be proposed to employers."""
    consenting = Consent.objects.filter(scope=Consent.Scope.PROPOSE_TO_EMPLOYERS, withdrawn_at__isnull=True)
    return list(
        visible_records(user).filter(pk__in=consenting.values("jobseeker_id")).values_list("pk", flat=True)
    )


def people_for(*, user: User, offer: Offer, limit: int = 20) -> list[dict]:
    if offer.fiche_id is None or offer.commune_id is None:
        return []
    people = people_index()
    allowed = np.isin(people.ids, consenting_visible_ids(user))
    found = rank_people(
        offer_fiche=offer.fiche_id,
        offer_commune=offer.commune_id,
        offer_contract=offer.contract_type,
        people=people,
        graph=occupation_graph(),
        travel=travel_model(),
        limit=limit,
        allowed=allowed,
    )
    records = JobSeeker.objects.select_related("commune").in_bulk([p["person_id"] for p in found])
    for person in found:
        person["record"] = records[person["person_id"]]
    return found
