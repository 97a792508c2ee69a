from pathlib import Path

import pytest

from core.sync import run_sync
from territories.services import sync_territories

FIXTURE_DATA = Path(__file__).parent / "data"


@pytest.fixture
def fixture_territory(db, settings):
    """The small fictional territory of tests/territories/data (région 98, départements 96 and 97, communes
    placed in the Atlantic so no real commune is ever near them), configured as the platform's region."""
    run_sync(lambda report: sync_territories(report, data_dir=FIXTURE_DATA), write=True)
    settings.REGION_CODE = "98"
