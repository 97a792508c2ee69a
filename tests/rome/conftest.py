import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from rome import search
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

DATA = Path(__file__).parent / "data"


@pytest.fixture
def rome_data(tmp_path) -> Path:
    """A writable copy of the small RefRomeCsv extract (3 fiches) and its ROME v3 labels."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def empty_rome(db):
    """Empty ROME tables for this test (rolled back after it).

    The session may already hold the real ROME, loaded outside test transactions by the `reference_data`
    fixture; plain SQL deletes are the fast way to start from nothing. The search index of this process is
    forgotten too (it also notices changes by itself, through its version stamp)."""
    search.invalidate()
    if Fiche.objects.exists() or RomeImport.objects.exists() or Skill.objects.exists():
        with connection.cursor() as cursor:
            for model in (
                Mobility,
                FicheSkill,
                Appellation,
                Skill,
                Fiche,
                DomaineProfessionnel,
                GrandDomaine,
                RomeImport,
            ):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture
def small_rome(empty_rome):
    call_command("sync_rome", write=True, data_dir=DATA, verbosity=0)


def rewrite(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
