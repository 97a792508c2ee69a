"""Protocols shipped as data. Wording taken from the public announcement of the Hauts-de-France protocol
(../shared/seed/protocole-france-travail-hauts-de-france-2023.txt); its 23 commitments are not public and are
entered in the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from governance.models import Axis, Protocol, Signatory, Stake
from territories.models import Region


@dataclass(frozen=True)
class ProtocolData:
    slug: str
    title: str
    region_code: str
    signed_on: date
    signed_at: str
    summary: str
    source: str
    signatories: tuple[str, ...]
    axes: tuple[str, ...]
    stakes: tuple[str, ...]


HAUTS_DE_FRANCE_2023 = ProtocolData(
    slug="hauts-de-france-2023",
    title="Protocole de préfiguration de France Travail en région Hauts-de-France",
    region_code="32",
    signed_on=date(2023, 6, 8),
    signed_at="Lille",
    summary=(
        "La région va participer à la préfiguration de France Travail en développant plusieurs axes de travail pour "
        "réduire les tensions sur le recrutement et mieux accompagner les personnes en recherche d'emploi dans leur "
        "démarche d'insertion professionnelle durable, dans le cadre d'une collaboration à travers le service public "
        "régional de l'emploi co-piloté par le président de région, le préfet de région et le recteur de l'académie. "
        "23 engagements ont été définis autour de quatre enjeux majeurs."
    ),
    source="Région Hauts-de-France, 8 juin 2023 (annonce publique du protocole)",
    signatories=(
        "Région Hauts-de-France",
        "Préfet de région Hauts-de-France",
        "Rectorat de région",
        "Pôle emploi (France Travail depuis le 1er janvier 2024)",
    ),
    axes=(
        "La gouvernance, notamment en préfigurant la mise en place du Comité France Travail en région, sous la "
        "co-présidence préfet de région/président de conseil régional, ainsi qu'au moins un Comité France Travail "
        "départemental et, au sein de ce département, au moins un Comité France Travail local.",
        "Au moins une mesure relative à la formation professionnelle, sur la base d'un diagnostic partagé et de "
        "lignes d'action conjointes, avec un choix de mesures qui pourra varier d'une région à l'autre.",
        "Au moins une mesure relative aux services aux entreprises, afin d'assurer une meilleure coordination des "
        "actions menées par les acteurs à leur destination, par exemple sur l'agrégation des offres d'emploi ou "
        "l'articulation des opérations de recrutement, selon des modalités qui pourront varier suivant les régions.",
    ),
    stakes=(
        "Répondre aux besoins en compétences des entreprises et faciliter l'accès à l'emploi en coordonnant les "
        "interventions en matière de formation et de développement de l'alternance, en particulier l'apprentissage",
        "Favoriser le développement économique de la région Hauts-de-France en développant les compétences",
        "Améliorer la prospection des entreprises et leur accompagnement vers l'emploi",
        "Mettre à disposition des demandeurs d'emploi une offre de services simplifiée et mobilisable sur l'aide à "
        "la mobilité géographique et la levée des freins",
    ),
)

PROTOCOLS = {HAUTS_DE_FRANCE_2023.slug: HAUTS_DE_FRANCE_2023}


class ProtocolLoadError(Exception):
    pass


def load_protocol(data: ProtocolData) -> tuple[Protocol, list[str]]:
    """Create or bring back to the shipped wording (idempotent); never touches commitments entered in the app."""
    region = Region.objects.filter(pk=data.region_code).first()
    if region is None:
        raise ProtocolLoadError(
            f"La région {data.region_code} est absente : chargez d'abord les territoires (reseau-emploi load-reference)."
        )
    lines = []
    with transaction.atomic():
        protocol, created = Protocol.objects.get_or_create(
            slug=data.slug,
            defaults={"title": data.title, "region": region, "signed_on": data.signed_on},
        )
        changed = created
        for name, value in (
            ("title", data.title),
            ("region", region),
            ("signed_on", data.signed_on),
            ("signed_at", data.signed_at),
            ("summary", data.summary),
            ("source", data.source),
        ):
            if getattr(protocol, name) != value:
                setattr(protocol, name, value)
                changed = True
        protocol.save()
        lines.append(
            f"protocole {data.slug}: {'créé' if created else 'mis à jour' if changed else 'inchangé'}"
        )
        for model, items, label in (
            (Signatory, data.signatories, "signataires"),
            (Axis, data.axes, "axes"),
            (Stake, data.stakes, "enjeux"),
        ):
            counts = {"créés": 0, "mis à jour": 0, "inchangés": 0}
            for position, text in enumerate(items, start=1):
                if model is Signatory:
                    obj, made = Signatory.objects.get_or_create(
                        protocol=protocol, name=text, defaults={"order": position}
                    )
                    dirty = obj.order != position
                    obj.order = position
                else:
                    obj, made = model.objects.get_or_create(
                        protocol=protocol, number=position, defaults={"title": text}
                    )
                    dirty = obj.title != text
                    obj.title = text
                if dirty:
                    obj.save()
                counts["créés" if made else "mis à jour" if dirty else "inchangés"] += 1
            lines.append(f"{label}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return protocol, lines
