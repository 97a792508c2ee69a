from pathlib import Path

import pytest

from core.sync import run_sync
from territories.models import Bassin, Commune, CommuneAlias, Departement, Epci, Region, ZoneEmploi
from territories.services import sync_territories

FIXTURE_DATA = Path(__file__).parent / "data"
FIXTURE_REGIONS = ["98", "99"]

_snapshot: list[tuple[type, list]] = []


def _fixture_rows() -> list[tuple[type, list]]:
    communes = Commune.objects.filter(region_id__in=FIXTURE_REGIONS)
    return [
        (Region, list(Region.objects.filter(pk__in=FIXTURE_REGIONS))),
        (Departement, list(Departement.objects.filter(region_id__in=FIXTURE_REGIONS))),
        (Epci, list(Epci.objects.filter(pk__in=communes.values("epci")))),
        (ZoneEmploi, list(ZoneEmploi.objects.filter(pk__in=communes.values("zone_emploi")))),
        (Bassin, list(Bassin.objects.filter(pk__in=communes.values("bassin")))),
        (Commune, list(communes)),
        (CommuneAlias, list(CommuneAlias.objects.filter(commune__in=communes))),
    ]


@pytest.fixture
def fixture_territory(db, settings):
    """The small fictional territory of tests/territories/data (région 98, départements 96 and 97, communes
    placed in the Atlantic so no real commune is ever near them), configured as the platform's region.

    Loaded by the real sync once per session, then re-inserted from that first result: when the real
    reference data is in the database, each sync diffs against all of France and costs seconds."""
    if _snapshot:
        for model, rows in _snapshot:
            model.objects.bulk_create(rows)
    else:
        run_sync(lambda report: sync_territories(report, data_dir=FIXTURE_DATA), write=True)
        _snapshot.extend(_fixture_rows())
    settings.REGION_CODE = "98"
