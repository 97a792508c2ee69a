"""The tables of a territory's diagnosis. Each is built once and then shown (HTML, with its chart), exported
(CSV, XLSX) or put in the PDF report, so the three always hold the same figures and cite the same sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from diagnosis import live, selectors
from diagnosis.charts import fr_number
from diagnosis.models import Dataset, OccupationKind, TerritoryKind
from diagnosis.selectors import Territory

NS = "n.s."


@dataclass
class Column:
    label: str
    kind: str = "text"  # text | int | float1 | float2 | pct | bool


@dataclass
class Table:
    ident: str
    title: str
    columns: list[Column]
    rows: list[list]
    sources: list[str] = field(default_factory=list)
    note: str = ""
    links: list[dict | None] = field(default_factory=list)  # per row: {"url", "label"} for an action

    def display_rows(self) -> list[list[str]]:
        return [
            [_display(value, column.kind) for value, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def display_with_links(self):
        links = self.links or [None] * len(self.rows)
        return list(zip(self.display_rows(), links, strict=True))


def _display(value, kind: str) -> str:
    if kind == "text":
        return "" if value is None else str(value)
    if kind == "bool":
        return "oui" if value else "non"
    if value is None:
        return NS
    if kind == "int":
        return fr_number(value, 0)
    if kind == "float1":
        return fr_number(value, 1)
    if kind == "float2":
        return fr_number(value, 2)
    if kind == "pct":
        return fr_number(100 * value, 0) + " %"
    return str(value)


def _citations(*codes: str) -> list[str]:
    found = {d.code: d for d in Dataset.objects.filter(code__in=codes)}
    return [found[code].citation for code in codes if code in found]


def tension_table(
    territory: Territory, *, occupation_kind: str = OccupationKind.ROME3, limit: int = 15
) -> Table:
    rows = selectors.top_tension(territory, occupation_kind=occupation_kind, limit=limit)
    columns = [
        Column("Code"),
        Column("Métier"),
        Column("Offres (2021)", "int"),
        Column("Demandeurs A, B, C (2021)", "int"),
        Column("Offres par demandeur", "float2"),
        Column("Part des projets difficiles (BMO 2025)", "pct"),
        Column("Indicateur composite", "float2"),
        Column("Classe (1 à 5)", "int"),
        Column("Liste officielle 2024", "bool"),
    ]
    data = [
        [
            r.occupation_code,
            r.occupation_label,
            r.offers,
            r.job_seekers,
            r.offers_per_job_seeker,
            r.share_difficult,
            r.tension_score,
            r.tension_class,
            r.in_official_list,
        ]
        for r in rows
    ]
    if territory.kind == TerritoryKind.BASSIN and occupation_kind == OccupationKind.ROME3:
        columns.append(Column("Classe officielle 2021", "int"))
        for values, r in zip(data, rows, strict=True):
            values.append(r.official_class)
    return Table(
        ident="tension",
        title=f"Métiers les plus en tension — {territory}",
        columns=columns,
        rows=data,
        sources=_citations("tensions-2021", "bmo-2025", "metiers-tension-2024", "rome-fap-dares"),
        note=(
            "Indicateur composite : moyenne pondérée des composantes centrées réduites (offres/demandeurs 30 %, "
            "part de projets difficiles 50 %, poids renormalisés) ; classes par quintiles. "
            "n.s. = non significatif (moins de 30 offres, projets ou demandeurs)."
        ),
    )


def gaps_table(territory: Territory, *, limit: int = 15) -> Table:
    rows = selectors.top_gaps(territory, limit=limit)
    return Table(
        ident="ecarts",
        title=f"Écarts entre besoin et offre de formation — {territory}",
        columns=[
            Column("Code"),
            Column("Métier"),
            Column("Projets difficiles estimés (BMO 2025)", "float1"),
            Column("Offres de la plateforme", "int"),
            Column("Besoin estimé", "float1"),
            Column("Places de formation", "int"),
            Column("Écart (besoin − places)", "float1"),
        ],
        rows=[
            [
                r.occupation_code,
                r.occupation_label,
                r.difficult_projects,
                r.pool_offers,
                r.need_estimate,
                r.training_places,
                r.coverage_gap,
            ]
            for r in rows
        ],
        links=[
            {
                "occupation": r.occupation_code,
                "label": r.occupation_label,
                "gap": r.coverage_gap,
                "places": r.training_places,
                "need": r.need_estimate,
            }
            for r in rows
        ],
        sources=_citations("bmo-2025", "rome-fap-dares")
        + ["Offre de formation saisie ou importée sur la plateforme"],
        note=(
            "Besoin estimé : projets de recrutement jugés difficiles de la famille professionnelle, répartis entre "
            "ses métiers ROME au prorata des offres 2021. Les offres sans candidat sont celles que France Travail signale comme telles dans ses offres du vivier. "
            "Places : sessions en cours ou à venir et places d'apprentissage de la dernière année connue."
        ),
    )


def hiring_table(territory: Territory, *, limit: int = 15) -> Table:
    rows = selectors.top_hiring(territory, limit=limit)
    return Table(
        ident="recrutements",
        title=f"Projets de recrutement par métier (BMO 2025) — {territory}",
        columns=[
            Column("Code BMO"),
            Column("Métier"),
            Column("Projets de recrutement", "int"),
            Column("Projets difficiles", "int"),
            Column("Part difficile", "pct"),
            Column("Projets saisonniers", "int"),
            Column("Part saisonnière", "pct"),
        ],
        rows=[
            [
                r.occupation_code,
                r.occupation_label,
                r.hiring_projects,
                r.difficult_projects,
                r.share_difficult,
                r.seasonal_projects,
                r.share_seasonal,
            ]
            for r in rows
        ],
        sources=_citations("bmo-2025"),
        note="Sommes des cellules publiées : les cellules sous secret statistique (« * ») ne sont pas comptées.",
    )


def map_table(points, *, occupation_label: str | None) -> Table:
    if occupation_label:
        title = f"Tension par bassin — {occupation_label}"
        columns = [
            Column("Bassin"),
            Column("Code"),
            Column("Indicateur composite", "float2"),
            Column("Classe (1 à 5)", "int"),
        ]
        sources = _citations("tensions-2021", "bmo-2025")
    else:
        title = "Part des projets de recrutement jugés difficiles, par bassin (BMO 2025)"
        columns = [
            Column("Bassin"),
            Column("Code"),
            Column("Part difficile", "pct"),
            Column("Classe (1 à 5)", "int"),
        ]
        sources = _citations("bmo-2025")
    return Table(
        ident="carte",
        title=title,
        columns=columns,
        rows=[[p.label, p.code, p.value, p.klass] for p in points],
        sources=sources,
        note="Classes par quintiles entre les bassins de la région (1 = la plus faible, 5 = la plus forte).",
    )


def pool_table(territory: Territory, *, rome3: str | None = None) -> Table:
    series = live.pool_monthly(territory_kind=territory.kind, territory_code=territory.code, rome3=rome3)
    scope = f" — métier {rome3}" if rome3 else ""
    return Table(
        ident="plateforme",
        title=f"Offres publiées chaque mois dans le vivier de la plateforme — {territory}{scope}",
        columns=[Column("Mois"), Column("Offres publiées", "int")],
        rows=[[month, count] for month, count in series],
        sources=["Vivier régional d'offres de la plateforme (données vivantes)"],
    )


def trend_table(rome3: str) -> Table:
    series = selectors.dares_series(rome3)
    faps = sorted(series)
    years = sorted({year for fap in faps for year, _z in series[fap][1]})
    values = {(fap, year): z for fap in faps for year, z in series[fap][1]}
    return Table(
        ident="tendance",
        title=f"Évolution nationale de la tension des familles professionnelles du métier {rome3} (DARES)",
        columns=[Column("Année")] + [Column(f"{fap} {series[fap][0]}", "float2") for fap in faps],
        rows=[[str(year)] + [values.get((fap, year)) for fap in faps] for year in years],
        sources=_citations("dares-tensions", "rome-fap-dares"),
        note="Indicateur de tension DARES exprimé en écarts types à la moyenne des métiers, France entière.",
    )


def all_tables(
    territory: Territory, *, occupation_kind: str = OccupationKind.ROME3, rome3: str | None = None
) -> dict[str, Table]:
    return {
        "tension": tension_table(territory, occupation_kind=occupation_kind),
        "ecarts": gaps_table(territory),
        "recrutements": hiring_table(territory),
        "plateforme": pool_table(territory, rome3=rome3),
        **({"tendance": trend_table(rome3)} if rome3 else {}),
    }
