"""Generate N job offers in France Travail "Offres d'emploi v2" JSON Lines, for the pool's speed benchmarks.

Realistic by construction, from real public data of DATA_DIR:
- where and what: (commune, ROME v3) drawn with the real distribution of open offers on 2021-12-21 by commune ×
  ROME (labour_market/mobiville/20211221_mv_villes_offre_full.csv.bz2, 925,168 offers);
- titles: ROME 4.0 appellations of the drawn family (rome4/unix_referentiel_appellation_v460_utf8.csv);
- descriptions, employers, salaries, experience: taken from the real France Travail offers
  (offers/francetravail_offers_dev.jsonl), descriptions prefixed by a sentence naming the job;
- coordinates and postal codes: territories/communes.csv;
- about 15 % re-posts (same employer, place and contract, a title variant, another id): work for the
  deduplication.

    .venv/bin/python bench/offers_generate.py 1000000 var/bench/offers_1m.jsonl [--seed 0] [--region-only]

Deterministic for a given seed. These offers are synthetic: never import them into a real pool.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CONTRACTS = [
    ("CDI", "Contrat à durée indéterminée", 55),
    ("CDD", "CDD - 6 Mois", 22),
    ("MIS", "Mission intérimaire - 3 Mois", 17),
    ("SAI", "Saisonnier - 4 Mois", 4),
    ("LIB", "Profession libérale", 2),
]
REPOST_SHARE = 0.15
REGION_DEPARTEMENTS = {"02", "59", "60", "62", "80"}


def luhn_siret(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(13)]
    for check in range(10):
        total = 0
        for i, d in enumerate([*digits, check]):
            d = d * 2 if i % 2 == 0 else d
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return "".join(map(str, digits)) + str(check)
    raise AssertionError


def load(data: Path, *, region_only: bool):
    communes = {}
    with open(data / "territories" / "communes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lat"] and row["lng"]:
                communes[row["insee_com"]] = (
                    row["commune"],
                    row["code_postal"],
                    float(row["lat"]),
                    float(row["lng"]),
                    row["insee_dep"],
                )
    cells, weights = [], []
    with bz2.open(
        data / "labour_market" / "mobiville" / "20211221_mv_villes_offre_full.csv.bz2", "rt", encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            code = row["commune"].strip('"').zfill(5)
            if code not in communes or (region_only and communes[code][4] not in REGION_DEPARTEMENTS):
                continue
            cells.append((code, row["dc_rome_id"]))
            weights.append(int(row["nb_offre"]))
    appellations: dict[str, list[tuple[str, str]]] = {}
    with open(
        data / "rome4" / "unix_referentiel_appellation_v460_utf8.csv", encoding="utf-8", newline=""
    ) as handle:
        for row in csv.DictReader(handle):
            entry = (row["libelle_appellation_court"], row["code_rome"])
            appellations.setdefault(row["code_rome_parent"] or row["code_rome"], []).append(entry)
    with open(data / "offers" / "francetravail_offers_dev.jsonl", encoding="utf-8") as handle:
        real = [json.loads(line) for line in handle]
    return communes, cells, weights, appellations, real


def generate(n: int, out, *, seed: int, data: Path, region_only: bool) -> int:
    rng = random.Random(seed)
    communes, cells, weights, appellations, real = load(data, region_only=region_only)
    descriptions = [r["description"][:1500] for r in real if r.get("description")]
    employers = sorted({(r.get("entreprise") or {}).get("nom") for r in real} - {None, ""})
    salaries = [r["salaire"] for r in real if (r.get("salaire") or {}).get("libelle")]
    experiences = [
        (r.get("experienceExige"), r.get("experienceLibelle")) for r in real if r.get("experienceLibelle")
    ]
    drawn = rng.choices(range(len(cells)), weights=weights, k=n)
    start = datetime(2025, 3, 1, tzinfo=UTC)
    previous: list[dict] = []
    written = 0
    for i, cell in enumerate(drawn):
        if previous and rng.random() < REPOST_SHARE:
            base = rng.choice(previous[-5000:])
            offer = dict(base)
            offer["id"] = f"G{i:08d}"
            offer["intitule"] = rng.choice(
                [
                    base["intitule"].upper(),
                    base["intitule"].replace(" (H/F)", ""),
                    base["intitule"] + " - URGENT",
                ]
            )
            offer["dateCreation"] = (
                datetime.fromisoformat(base["dateCreation"][:-1] + "+00:00")
                + timedelta(days=rng.randrange(0, 10))
            ).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        else:
            commune_code, rome_v3 = cells[cell]
            name, postal, lat, lon, dep = communes[commune_code]
            label, rome4 = rng.choice(appellations.get(rome_v3) or [(f"Métier {rome_v3}", rome_v3)])
            contract, contract_label, _ = rng.choices(CONTRACTS, weights=[c[2] for c in CONTRACTS])[0]
            employer = f"{rng.choice(employers)} {rng.randrange(1, 4000)}"
            created = start - timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
            exigence, experience = rng.choice(experiences)
            offer = {
                "id": f"G{i:08d}",
                "intitule": f"{label} (H/F)",
                "description": f"{employer} recrute un(e) {label.lower()} à {name}.\n{rng.choice(descriptions)}",
                "dateCreation": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "dateActualisation": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "lieuTravail": {
                    "libelle": f"{dep} - {name.upper()}",
                    "latitude": lat,
                    "longitude": lon,
                    "codePostal": postal,
                    "commune": commune_code,
                },
                "romeCode": rome4 if rng.random() < 0.8 else "",
                "appellationlibelle": label,
                "entreprise": {"nom": employer, "siret": luhn_siret(rng) if rng.random() < 0.6 else None},
                "typeContrat": contract,
                "typeContratLibelle": contract_label,
                "natureContrat": "Contrat travail",
                "experienceExige": exigence,
                "experienceLibelle": experience,
                "salaire": rng.choice(salaries) if rng.random() < 0.5 else {},
                "nombrePostes": 1,
                "origineOffre": {
                    "origine": "1",
                    "urlOrigine": f"https://candidat.francetravail.fr/offres/recherche/detail/G{i:08d}",
                },
            }
            previous.append(offer)
        out.write(json.dumps(offer, ensure_ascii=False) + "\n")
        written += 1
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", help="JSON Lines file, or - for stdout")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--region-only", action="store_true", help="only communes of Hauts-de-France")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.output == "-":
        written = generate(
            args.count, sys.stdout, seed=args.seed, data=args.data_dir, region_only=args.region_only
        )
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        with open(args.output, "w", encoding="utf-8") as out:
            written = generate(
                args.count, out, seed=args.seed, data=args.data_dir, region_only=args.region_only
            )
    print(f"{written} offers in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
