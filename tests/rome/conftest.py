import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from rome import search

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def fresh_search_index():
    """Each test sees an index built from its own database."""
    search.invalidate()
    yield
    search.invalidate()


@pytest.fixture
def rome_data(tmp_path) -> Path:
    """A writable copy of the small RefRomeCsv extract (3 fiches) and its ROME v3 labels."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def small_rome(db):
    call_command("sync_rome", write=True, data_dir=DATA, verbosity=0)


def rewrite(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
