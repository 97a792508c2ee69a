"""Demo pool of offers: the three development files of DATA_DIR/offers/dedup_dev (real offers, evaluation only)
imported as three demo sources, so the search, the offer pages and the import reports show real content.
Idempotent: a second load finds nothing to change."""

from pathlib import Path

from django.conf import settings

from accounts.models import Organisation
from offers import services
from offers.connectors import connector
from offers.models import Source

# (source name, operator label, format, file, mapping file, owning demo organisation)
SOURCES = [
    (
        "francetravail",
        "France Travail",
        "francetravail",
        "francetravail.json",
        None,
        "France Travail Lille Centre",
    ),
    (
        "region",
        "Plateforme régionale (démo)",
        "csv",
        "region.csv",
        "region.mapping.json",
        "Région Hauts-de-France",
    ),
    ("jobboard", "Site d'annonces (démo)", "jobposting", "jobboard.jsonld.json", None, None),
]


def load() -> list[str]:
    folder = Path(settings.DATA_DIR) / "offers" / "dedup_dev"
    if not folder.exists():
        return [f"skipped: {folder} not found"]
    lines = []
    for name, label, format_name, file_name, mapping, owner_name in SOURCES:
        owner = Organisation.objects.filter(name=owner_name).first() if owner_name else None
        source, _ = Source.objects.update_or_create(
            name=name, defaults={"label": label, "kind": format_name, "owner": owner, "is_demo": True}
        )
        records = connector(format_name)(
            folder / file_name, source=name, mapping=folder / mapping if mapping else None
        )
        run = services.import_records(source=source, records=records, file_name=file_name)
        lines.append(
            f"source {name}: read {run.read_count}, created {run.created_count}, updated {run.updated_count}, "
            f"unchanged {run.unchanged_count}, rejected {run.rejected_count}"
        )
    return lines
