"""Reads on the ROME: domain tree, fiche search, a fiche with everything about it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, When

from rome.models import (
    Appellation,
    DomaineProfessionnel,
    Fiche,
    FicheSkill,
    GrandDomaine,
    Mobility,
    RomeImport,
    Skill,
)
from rome.search import Match, search_appellations

ROME_CODE_PREFIX = re.compile(r"^\s*([A-Na-n])(\d{0,4})\s*$")


def domain_tree() -> list[GrandDomaine]:
    """Grands domaines, each with `.domaine_list` (domaines professionnels carrying `fiche_count`)."""
    domaines = DomaineProfessionnel.objects.annotate(fiche_count=Count("fiches")).order_by("code")
    return list(
        GrandDomaine.objects.prefetch_related(Prefetch("domaines", queryset=domaines, to_attr="domaine_list"))
    )


def fiches(*, q: str = "", domaine: str = "", grand_domaine: str = "") -> QuerySet[Fiche]:
    """Fiches filtered by domain and by a text: a ROME code (prefix) or words matched by the appellation search
    (the order then follows the best appellation of each fiche)."""
    queryset = Fiche.objects.select_related("domaine__grand_domaine")
    if domaine:
        queryset = queryset.filter(domaine_id=domaine.upper())
    if grand_domaine:
        queryset = queryset.filter(domaine__grand_domaine_id=grand_domaine.upper())
    q = q.strip()
    if not q:
        return queryset
    code = ROME_CODE_PREFIX.match(q)
    if code and code.group(2):
        return queryset.filter(code__startswith=q.strip().upper())
    ranked = list(dict.fromkeys(m.entry.rome_code for m in search_appellations(q, limit=200)))[:60]
    label_hits = queryset.filter(Q(label__icontains=q) | Q(parent_label__icontains=q)).exclude(
        code__in=ranked
    )
    ranked += list(label_hits.values_list("code", flat=True)[:40])
    if not ranked:
        return queryset.none()
    order = Case(*[When(code=c, then=i) for i, c in enumerate(ranked)], output_field=IntegerField())
    return queryset.filter(code__in=ranked).order_by(order)


def appellation_matches(q: str, *, limit: int = 100) -> list[Match]:
    return search_appellations(q, limit=limit) if q.strip() else []


@dataclass
class FicheDetail:
    fiche: Fiche
    appellations: list[Appellation]
    skills: dict[str, list[FicheSkill]]  # by Skill.Kind value, core skills first
    mobilities_out: list[Mobility]
    mobilities_in: list[Mobility]
    parent: Fiche | None


def fiche_detail(code: str) -> FicheDetail | None:
    fiche = Fiche.objects.select_related("domaine__grand_domaine").filter(code=code.upper()).first()
    if fiche is None:
        return None
    appellations = list(fiche.appellations.order_by("-is_principal", "rarely_used", "label"))
    skills: dict[str, list[FicheSkill]] = {kind: [] for kind in Skill.Kind.values}
    for link in fiche.skill_links.select_related("skill").order_by(
        "-is_core", "-is_emerging", "skill__label"
    ):
        skills[link.skill.kind].append(link)
    return FicheDetail(
        fiche=fiche,
        appellations=appellations,
        skills=skills,
        mobilities_out=list(fiche.mobility_links.select_related("target").order_by("order", "target_id")),
        mobilities_in=list(fiche.incoming_mobility_links.select_related("source").order_by("source_id")),
        parent=Fiche.objects.filter(code=fiche.parent_code).exclude(code=fiche.code).first(),
    )


def latest_import() -> RomeImport | None:
    return RomeImport.objects.order_by("-pk").first()
