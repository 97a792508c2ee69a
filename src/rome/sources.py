"""Reading France Travail's ROME 4.0 open-data export (RefRomeCsv, `unix_*_v<version>_utf8.csv` files).

`read_referential(rome_dir, v3_fiches)` turns the files into plain rows keyed by their natural key, checking
every value it uses: a malformed value raises `SourceError` naming the file, the line and the column. The sync
command writes these rows; the search benchmark reads them directly without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.sync import SourceError, read_csv

ROME_CODE = re.compile(r"^[A-N]\d{4}$")
DOMAINE_CODE = re.compile(r"^[A-N]\d{2}$")
GRAND_DOMAINE_CODE = re.compile(r"^[A-N]$")

# Logical name -> file stem; the version part (v460) changes with each release, so files are found by pattern.
FILE_STEMS = {
    "grands_domaines": "unix_grand_domaine",
    "domaines": "unix_domaine_professionnel",
    "arborescence": "unix_cr_gd_dp",
    "fiches": "unix_referentiel_code_rome",
    "appellations": "unix_referentiel_appellation",
    "competences": "unix_referentiel_competence",
    "savoirs": "unix_referentiel_savoir",
    "contextes": "unix_referentiel_contexte_travail",
    "coherence": "unix_coherence_item",
    "mobilites": "unix_rubrique_mobilite",
    "textes": "unix_texte",
}

SKILL_KIND_BY_CATEGORY = {"Savoir-faire": "savoir_faire", "Savoir-être professionnel": "savoir_etre"}


def find_file(rome_dir: Path, logical: str) -> Path:
    """The newest `<stem>_v<version>_utf8.csv` of the folder (a downloaded export may be a later version)."""
    stem = FILE_STEMS[logical]
    pattern = re.compile(rf"^{stem}_v(\d+)_utf8\.csv$")
    candidates = sorted(
        (
            (int(m.group(1)), path)
            for path in rome_dir.glob(f"{stem}_v*_utf8.csv")
            if (m := pattern.match(path.name))
        ),
        reverse=True,
    )
    if not candidates:
        raise SourceError(f"no {stem}_v<version>_utf8.csv file in this folder", path=rome_dir)
    return candidates[0][1]


def read_version(rome_dir: Path) -> str:
    """The release name from version.txt ("ROME 4.0 version 60 - 25M09"), or "" when absent."""
    path = rome_dir / "version.txt"
    if not path.exists():
        return ""
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.lower().startswith("titre/commentaire"):
            return line.split(":", 1)[1].strip()
    return ""


@dataclass
class Referential:
    grands_domaines: dict[str, dict] = field(default_factory=dict)
    domaines: dict[str, dict] = field(default_factory=dict)
    fiches: dict[str, dict] = field(default_factory=dict)
    appellations: dict[int, dict] = field(default_factory=dict)
    skills: dict[int, dict] = field(default_factory=dict)
    fiche_skills: dict[tuple[str, int], dict] = field(default_factory=dict)
    mobilities: dict[tuple[str, str], dict] = field(default_factory=dict)
    version: str = ""
    notes: list[str] = field(default_factory=list)


class _Rows:
    """Rows of one file with typed accessors that raise a located SourceError."""

    def __init__(self, path: Path, required: tuple[str, ...]):
        self.path = path
        self.required = required

    def __iter__(self):
        for line, row in read_csv(self.path, required=self.required):
            self.line, self.row = line, row
            yield self

    def error(self, column: str, message: str) -> SourceError:
        return SourceError(message, path=self.path, line=self.line, field=column)

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.row[column] or "").strip()
        if required and not value:
            raise self.error(column, "empty value")
        return value

    def code(self, column: str, pattern: re.Pattern) -> str:
        value = self.text(column)
        if not pattern.match(value):
            raise self.error(column, f"{value!r} is not a valid code")
        return value

    def integer(self, column: str) -> int:
        value = self.text(column)
        try:
            return int(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not an integer") from None

    def flag(self, column: str) -> bool:
        value = self.text(column, required=False).upper()
        if value not in ("", "O", "N"):
            raise self.error(column, f"{value!r} is not O, N or empty")
        return value == "O"

    def choice(self, column: str, choices) -> str:
        value = self.text(column)
        if value not in choices:
            raise self.error(column, f"{value!r} is not one of {', '.join(sorted(choices))}")
        return value


def _clean_text(text: str) -> str:
    # unix_texte comes from an SQL export that left apostrophes doubled ("l''entretien").
    return re.sub(r"\s+", " ", text.replace("''", "'")).strip()


def read_referential(rome_dir: Path, v3_fiches: Path | None = None) -> Referential:
    """Read and check the whole referential. `v3_fiches` (code,name CSV of the 532 ROME v3 fiches) labels parents."""
    rome_dir = Path(rome_dir)
    if not rome_dir.is_dir():
        raise SourceError("folder not found", path=rome_dir)
    ref = Referential(version=read_version(rome_dir))

    for r in _Rows(find_file(rome_dir, "grands_domaines"), ("code_grand_domaine", "libelle_grand_domaine")):
        ref.grands_domaines[r.code("code_grand_domaine", GRAND_DOMAINE_CODE)] = {
            "label": r.text("libelle_grand_domaine")
        }

    for r in _Rows(
        find_file(rome_dir, "domaines"), ("code_domaine_professionnel", "libelle_domaine_professionnel")
    ):
        code = r.code("code_domaine_professionnel", DOMAINE_CODE)
        if code[0] not in ref.grands_domaines:
            raise r.error("code_domaine_professionnel", f"grand domaine {code[0]!r} is unknown")
        ref.domaines[code] = {"label": r.text("libelle_domaine_professionnel"), "grand_domaine_id": code[0]}

    domaine_of: dict[str, str] = {}
    for r in _Rows(find_file(rome_dir, "arborescence"), ("code_rome", "code_domaine_professionel")):
        code, domaine = r.code("code_rome", ROME_CODE), r.code("code_domaine_professionel", DOMAINE_CODE)
        if domaine not in ref.domaines:
            raise r.error("code_domaine_professionel", f"domaine professionnel {domaine!r} is unknown")
        domaine_of[code] = domaine

    v3_labels: dict[str, str] = {}
    if v3_fiches is not None and v3_fiches.exists():
        for r in _Rows(v3_fiches, ("code", "name")):
            v3_labels[r.code("code", ROME_CODE)] = r.text("name")
    else:
        ref.notes.append(f"{v3_fiches or 'ROME v3 fiches file'} not found: ROME v3 parent labels left empty")

    texts: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for r in _Rows(
        find_file(rome_dir, "textes"), ("code_rome", "libelle_type_texte", "position_phrase", "libelle_texte")
    ):
        kind = r.text("libelle_type_texte")
        if kind in ("definition", "acces_metier"):
            texts.setdefault((r.code("code_rome", ROME_CODE), kind), []).append(
                (r.integer("position_phrase"), _clean_text(r.text("libelle_texte")))
            )

    fiches_file = find_file(rome_dir, "fiches")
    for r in _Rows(fiches_file, ("code_rome", "code_ogr", "libelle_rome", "code_rome_parent")):
        code = r.code("code_rome", ROME_CODE)
        if code not in domaine_of:
            raise r.error("code_rome", f"{code} has no domaine professionnel in {FILE_STEMS['arborescence']}")
        parent = r.code("code_rome_parent", ROME_CODE)
        ref.fiches[code] = {
            "code_ogr": r.integer("code_ogr"),
            "label": r.text("libelle_rome"),
            "domaine_id": domaine_of[code],
            "parent_code": parent,
            "parent_label": v3_labels.get(parent, ""),
            "definition": "\n".join(text for _pos, text in sorted(texts.get((code, "definition"), []))),
            "access": "\n".join(text for _pos, text in sorted(texts.get((code, "acces_metier"), []))),
            "regulated": r.flag("emploi_reglemente"),
            "executive": r.flag("emploi_cadre"),
            "transition_eco": r.text("transition_eco", required=False),
            "transition_num": r.text("transition_num", required=False),
            "transition_demo": r.text("transition_demo", required=False),
        }
    for code, fiche in ref.fiches.items():
        if fiche["parent_code"] not in ref.fiches:
            raise SourceError(f"parent {fiche['parent_code']} of {code} is not a fiche", path=fiches_file)

    for r in _Rows(
        find_file(rome_dir, "appellations"),
        ("code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome", "classification"),
    ):
        fiche = r.code("code_rome", ROME_CODE)
        if fiche not in ref.fiches:
            raise r.error("code_rome", f"fiche {fiche} is unknown")
        label = r.text("libelle_appellation_long")
        ref.appellations[r.integer("code_ogr")] = {
            "label": label,
            "short_label": r.text("libelle_appellation_court", required=False) or label,
            "fiche_id": fiche,
            "is_principal": r.choice("classification", {"PRINCIPALE", "SYNONYME"}) == "PRINCIPALE",
            "rarely_used": r.flag("peu_usite") if "peu_usite" in r.row else False,
        }

    for r in _Rows(
        find_file(rome_dir, "competences"), ("code_ogr", "libelle_competence", "cat_comp", "sous_cat_comp")
    ):
        category = r.choice("cat_comp", SKILL_KIND_BY_CATEGORY)
        ref.skills[r.integer("code_ogr")] = {
            "label": r.text("libelle_competence"),
            "kind": SKILL_KIND_BY_CATEGORY[category],
            "category": r.text("sous_cat_comp", required=False),
            "subcategory": "",
        }
    for r in _Rows(
        find_file(rome_dir, "savoirs"),
        ("code_ogr_savoir", "libelle_savoir", "categorie_savoir", "sous_categorie_savoir"),
    ):
        code = r.integer("code_ogr_savoir")
        if code in ref.skills:
            raise r.error("code_ogr_savoir", f"{code} is already a savoir-faire or savoir-être")
        ref.skills[code] = {
            "label": r.text("libelle_savoir"),
            "kind": "savoir",
            "category": r.text("categorie_savoir", required=False),
            "subcategory": r.text("sous_categorie_savoir", required=False),
        }

    # Work contexts are linked in the same file as skills; they are not modelled, only recognised.
    contexts = {r.integer("code_ogr") for r in _Rows(find_file(rome_dir, "contextes"), ("code_ogr",))}
    skipped_contexts = 0
    for r in _Rows(find_file(rome_dir, "coherence"), ("code_rome", "code_ogr", "coeur_metier")):
        fiche, item = r.code("code_rome", ROME_CODE), r.integer("code_ogr")
        if fiche not in ref.fiches:
            raise r.error("code_rome", f"fiche {fiche} is unknown")
        if item not in ref.skills:
            if item in contexts:
                skipped_contexts += 1
                continue
            raise r.error("code_ogr", f"{item} is neither a skill, a knowledge nor a work context")
        flag = r.choice("coeur_metier", {"", "Principale", "Émergente"}) if r.row["coeur_metier"] else ""
        ref.fiche_skills[(fiche, item)] = {
            "is_core": flag == "Principale",
            "is_emerging": flag == "Émergente",
        }
    if skipped_contexts:
        ref.notes.append(f"{skipped_contexts} links to work contexts (contextes de travail) not imported")

    for r in _Rows(find_file(rome_dir, "mobilites"), ("code_rome", "code_rome_cible", "numero_ordre")):
        source, target = r.code("code_rome", ROME_CODE), r.code("code_rome_cible", ROME_CODE)
        for column, code in (("code_rome", source), ("code_rome_cible", target)):
            if code not in ref.fiches:
                raise r.error(column, f"fiche {code} is unknown")
        ref.mobilities[(source, target)] = {"order": r.integer("numero_ordre")}
    return ref
