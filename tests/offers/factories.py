"""Canonical offers and sources for the offers tests; publications and offers are made through the real import
service (`imported`), so tests exercise the pipeline rather than hand-built rows."""

from datetime import UTC, datetime

import factory

from offers.canonical import CanonicalOffer
from offers.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"source-{n}")
    label = factory.LazyAttribute(lambda o: o.name.title())
    kind = Source.Kind.FRANCE_TRAVAIL


class CanonicalOfferFactory(factory.Factory):
    class Meta:
        model = CanonicalOffer

    source = "francetravail"
    source_id = factory.Sequence(lambda n: f"ID{n:06d}")
    title = "Boulanger (H/F)"
    description = "Fabrication du pain et des viennoiseries."
    employer_name = "Boulangerie du Beffroi"
    commune_code = "80021"
    postal_code = "80000"
    commune_name = "Amiens"
    contract_type = "CDI"
    published_at = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
    updated_at = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
    rome_code = "D1102"
    raw = factory.LazyAttribute(
        lambda o: {"id": o.source_id, "title": o.title, "commune": o.commune_code, "x": o.description}
    )
