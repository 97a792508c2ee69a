"""The ROME 4.0 referential as training material, read straight from the RefRomeCsv files (no database)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROME_FOLDER = "rome4"


@dataclass(slots=True)
class RomeReferential:
    labels: dict[str, str]  # ROME 4.0 code -> fiche label
    parents: dict[str, str]  # ROME 4.0 code -> ROME v3 parent code
    appellations: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, code, rarely used)
    texts: dict[str, list[str]] = field(default_factory=dict)  # code -> definition / access sentences
    skills: dict[str, list[str]] = field(default_factory=dict)  # code -> skill and knowledge labels

    def parent(self, code: str) -> str:
        return self.parents.get(code, code)


def _rows(folder: Path, name: str):
    path = folder / f"unix_{name}_v460_utf8.csv"
    if not path.exists():
        raise FileNotFoundError(
            f"ROME 4.0 file missing: {path} (DATA_DIR must hold the RefRomeCsv v460 files)"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def rome_folder(data_dir: Path | str) -> Path:
    """`data_dir` is DATA_DIR (holding `rome4/`) or the rome4 folder itself."""
    data_dir = Path(data_dir)
    return (
        data_dir
        if (data_dir / "unix_referentiel_code_rome_v460_utf8.csv").exists()
        else data_dir / ROME_FOLDER
    )


def load_referential(data_dir: Path | str) -> RomeReferential:
    folder = rome_folder(data_dir)
    labels, parents = {}, {}
    for row in _rows(folder, "referentiel_code_rome"):
        labels[row["code_rome"]] = row["libelle_rome"]
        parents[row["code_rome"]] = row["code_rome_parent"] or row["code_rome"]
    appellations = [
        (row["libelle_appellation_long"], row["code_rome"], row["peu_usite"] == "O")
        for row in _rows(folder, "referentiel_appellation")
        if row["code_rome"] in labels
    ]
    texts: dict[str, list[str]] = defaultdict(list)
    for row in _rows(folder, "texte"):
        if row["code_rome"] in labels and row["libelle_type_texte"] == "definition":
            texts[row["code_rome"]].append(row["libelle_texte"])
    item_labels = {row["code_ogr"]: row["libelle"] for row in _rows(folder, "item")}
    skills: dict[str, list[str]] = defaultdict(list)
    for row in _rows(folder, "coherence_item"):
        label = item_labels.get(row["code_ogr"])
        if label and row["code_rome"] in labels:
            skills[row["code_rome"]].append(label)
    return RomeReferential(
        labels=labels, parents=parents, appellations=appellations, texts=dict(texts), skills=dict(skills)
    )
