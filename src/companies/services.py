"""Writes of the companies app: register import, contacts with the anti multiple-solicitation rule, recruitment
operations with their capacity, links from offers to establishments, merges."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from django.db import transaction
from rapidfuzz import fuzz

from accounts.models import Organisation, User
from companies import sirene
from companies.models import (
    Company,
    Contact,
    EmployerLink,
    Establishment,
    Merge,
    Operation,
    OperationCompany,
    OperationParticipant,
)
from companies.selectors import solicitation_check
from core.text import fold
from territories.models import Commune

# Legal forms and words that don't tell one employer from another.
NAME_NOISE = {
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sci",
    "scop",
    "snc",
    "groupe",
    "group",
    "france",
    "et",
    "de",
    "la",
    "le",
    "les",
    "du",
    "des",
}
AUTO_LINK_SCORE = 92.0
REVIEW_LINK_SCORE = 80.0


def employer_key(name: str) -> str:
    return " ".join(word for word in fold(name).split() if word not in NAME_NOISE)


@dataclass
class SireneReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)


@transaction.atomic
def import_sirene(
    *, establishments_path: Path, companies_path: Path | None = None, write: bool
) -> SireneReport:
    """Upsert the establishments (and their companies) of a SIRENE stock extract; bad rows are reported with their
    line and skipped, the rest goes in. Without `write`, everything is rolled back after counting."""
    report = SireneReport()
    names = sirene.companies(companies_path) if companies_path else {}
    communes = set(Commune.objects.values_list("code", flat=True))
    existing = {e.siret: e for e in Establishment.objects.all()}
    known_companies = set(Company.objects.values_list("siren", flat=True))
    sid = transaction.savepoint()
    for row in sirene.establishments(establishments_path):
        if isinstance(row, tuple):
            report.rejected.append(f"{establishments_path.name}:{row[0]}: {row[1]}")
            continue
        company = names.get(row.siren, {})
        name = row.name or company.get("name") or row.brand or row.siret
        if row.siren not in known_companies:
            Company.objects.create(
                siren=row.siren,
                name=company.get("name") or name,
                naf=company.get("naf", row.naf),
                size_band=company.get("size_band", ""),
            )
            known_companies.add(row.siren)
        values = {
            "company_id": row.siren,
            "name": name,
            "brand": row.brand,
            "search_name": employer_key(f"{name} {row.brand}"),
            "naf": row.naf,
            "size_band": row.size_band,
            "address": row.address,
            "postal_code": row.postal_code,
            "commune_id": row.commune_code if row.commune_code in communes else None,
            "is_head_office": row.is_head_office,
            "is_active": row.is_active,
        }
        current = existing.get(row.siret)
        if current is None:
            establishment = Establishment.objects.create(siret=row.siret, **values)
            existing[row.siret] = establishment
            report.created += 1
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name_, value in values.items():
                setattr(current, name_, value)
            current.save()
            report.updated += 1
        else:
            report.unchanged += 1
    _fill_coordinates()
    if write:
        transaction.savepoint_commit(sid)
    else:
        transaction.savepoint_rollback(sid)
    return report


def _fill_coordinates() -> None:
    # The register has no geocoded addresses: place establishments at their commune's point.
    placed = []
    for establishment in Establishment.objects.filter(
        commune__isnull=False, latitude__isnull=True
    ).select_related("commune"):
        establishment.latitude, establishment.longitude = (
            establishment.commune.latitude,
            establishment.commune.longitude,
        )
        placed.append(establishment)
    Establishment.objects.bulk_update(placed, ["latitude", "longitude"], batch_size=2000)


class CoordinationRequired(Exception):
    """Raised when a contact falls inside another partner's window and the advisor did not coordinate."""


@transaction.atomic
def record_contact(
    *,
    establishment: Establishment,
    organisation: Organisation,
    author: User,
    data: dict,
    today: date | None = None,
) -> Contact:
    check = solicitation_check(
        establishment=establishment, organisation=organisation, on=data.get("date") or today
    )
    if check.needs_coordination and not data.get("coordinated_with_referent"):
        raise CoordinationRequired(check.message)
    return Contact.objects.create(
        establishment=establishment, organisation=organisation, author=author, **data
    )


class OperationFull(Exception):
    pass


@transaction.atomic
def register_company(*, operation: Operation, establishment: Establishment) -> OperationCompany:
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    if operation.company_capacity is not None and operation.companies.count() >= operation.company_capacity:
        raise OperationFull(f"Les {operation.company_capacity} places entreprises sont prises.")
    registration, _created = OperationCompany.objects.get_or_create(
        operation=operation, establishment=establishment
    )
    return registration


@transaction.atomic
def register_person(
    *, operation: Operation, jobseeker, organisation: Organisation, user: User
) -> OperationParticipant:
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    already = operation.participants.filter(jobseeker=jobseeker).first()
    if already is not None:
        return already
    if operation.people_capacity is not None and operation.participants.count() >= operation.people_capacity:
        raise OperationFull(f"Les {operation.people_capacity} places candidats sont prises.")
    return OperationParticipant.objects.create(
        operation=operation, jobseeker=jobseeker, organisation=organisation, registered_by=user
    )


@dataclass
class LinkCandidate:
    establishment: Establishment | None
    method: str
    score: float


def best_establishment(
    *,
    siret: str,
    employer_name: str,
    commune_id: str | None,
    candidates_by_commune: dict,
    by_siret: dict[str, Establishment],
) -> LinkCandidate:
    """The establishment an offer's employer is, by SIRET when valid (`by_siret`: the register's establishments
    for the SIRETs at hand), else by name among the establishments of the same commune (token-set similarity of
    the names without legal forms)."""
    if siret in by_siret:
        return LinkCandidate(by_siret[siret], EmployerLink.Method.SIRET, 100.0)
    key = employer_key(employer_name)
    if not key or not commune_id:
        return LinkCandidate(None, EmployerLink.Method.NAME, 0.0)
    best, best_score = None, 0.0
    for establishment in candidates_by_commune.get(commune_id, []):
        score = fuzz.token_set_ratio(key, establishment.search_name)
        if score > best_score:
            best, best_score = establishment, score
    return LinkCandidate(best, EmployerLink.Method.NAME, best_score)


@transaction.atomic
def link_offers_to_establishments(*, offers) -> dict[str, int]:
    """Link each offer's employer to the register: SIRET or a confident name match is confirmed, a likely one goes
    to the review list, the rest stays unlinked. Links already reviewed are kept."""
    counts = {"confirmed": 0, "to_review": 0, "unlinked": 0, "kept": 0}
    by_commune: dict[str, list[Establishment]] = {}
    for establishment in Establishment.objects.filter(
        is_active=True, merged_into__isnull=True, commune__isnull=False
    ):
        by_commune.setdefault(establishment.commune_id, []).append(establishment)
    reviewed = set(EmployerLink.objects.exclude(reviewed_by=None).values_list("offer_id", flat=True))
    offers = iter(offers)
    # Offers come in batches (a whole pool may not fit in memory); each batch looks its SIRETs up in one query.
    while batch := list(islice(offers, 2000)):
        by_siret = Establishment.objects.in_bulk(
            {offer.siret for offer in batch if offer.siret and offer.siret_valid}, field_name="siret"
        )
        for offer in batch:
            if offer.pk in reviewed:
                counts["kept"] += 1
                continue
            candidate = best_establishment(
                siret=offer.siret if offer.siret_valid else "",
                employer_name=offer.employer_name,
                commune_id=offer.commune_id,
                candidates_by_commune=by_commune,
                by_siret=by_siret,
            )
            if candidate.establishment is None or candidate.score < REVIEW_LINK_SCORE:
                EmployerLink.objects.filter(offer=offer).delete()
                counts["unlinked"] += 1
                continue
            status = (
                EmployerLink.Status.CONFIRMED
                if candidate.score >= AUTO_LINK_SCORE
                else EmployerLink.Status.TO_REVIEW
            )
            EmployerLink.objects.update_or_create(
                offer=offer,
                defaults={
                    "establishment": candidate.establishment,
                    "method": candidate.method,
                    "score": candidate.score,
                    "status": status,
                },
            )
            counts[status] += 1
    return counts


@transaction.atomic
def merge(*, duplicate: Establishment, kept: Establishment, reason: str, user: User) -> Merge:
    """Move everything the network knows about `duplicate` onto `kept`; the duplicate stays, marked merged."""
    if duplicate.pk == kept.pk:
        raise ValueError("Un établissement ne peut pas être fusionné avec lui-même.")
    moved = {
        "contacts": Contact.objects.filter(establishment=duplicate).update(establishment=kept),
        "offers": EmployerLink.objects.filter(establishment=duplicate).update(establishment=kept),
        "operations": OperationCompany.objects.filter(establishment=duplicate)
        .exclude(operation__in=OperationCompany.objects.filter(establishment=kept).values("operation"))
        .update(establishment=kept),
    }
    duplicate.merged_into = kept
    duplicate.is_active = False
    duplicate.save(update_fields=["merged_into", "is_active"])
    return Merge.objects.create(
        duplicate_siret=duplicate.siret, kept=kept, reason=reason, by=user, moved=moved
    )
