import csv
import json

import pytest

# A small ROME 4.0 referential: seven families (ROME v3 parents), one of them with a ROME 4.0 child fiche.
FICHES = [
    # code, label, parent, definition, skills
    (
        "D1102",
        "Boulanger / Boulangère",
        "D1102",
        "Prépare et façonne les pâtes à pain et viennoiseries.",
        ["Pétrir la pâte", "Cuire les pains", "Façonner les viennoiseries"],
    ),
    (
        "J1501",
        "Aide-soignant / Aide-soignante",
        "J1501",
        "Réalise des soins d'hygiène et de confort aux patients.",
        ["Réaliser des soins d'hygiène", "Surveiller l'état de santé du patient"],
    ),
    (
        "N4101",
        "Conducteur / Conductrice de poids lourd",
        "N4101",
        "Conduit un poids lourd pour livrer des marchandises.",
        ["Conduire un poids lourd", "Charger et décharger des marchandises"],
    ),
    (
        "M1805",
        "Développeur / Développeuse informatique",
        "M1805",
        "Conçoit et développe des logiciels et applications.",
        ["Développer une application", "Programmer en Java, Python", "Tester un logiciel"],
    ),
    (
        "M1811",
        "Data engineer",
        "M1805",
        "Conçoit les chaînes de traitement de données.",
        ["Construire un pipeline de données", "Administrer une base de données"],
    ),
    (
        "K2204",
        "Agent / Agente de nettoyage",
        "K2204",
        "Nettoie les locaux et les surfaces.",
        ["Nettoyer les sols", "Entretenir les sanitaires", "Vider les poubelles"],
    ),
    (
        "G1803",
        "Serveur / Serveuse en restauration",
        "G1803",
        "Accueille les clients et sert les plats en salle.",
        ["Dresser les tables", "Servir les plats", "Encaisser les additions"],
    ),
    (
        "F1703",
        "Maçon / Maçonne",
        "F1703",
        "Construit les murs et les fondations d'un bâtiment.",
        ["Monter des murs en parpaing", "Couler une dalle de béton"],
    ),
]
APPELLATIONS = [
    ("Boulanger / Boulangère", "D1102"),
    ("Ouvrier boulanger / Ouvrière boulangère", "D1102"),
    ("Aide-soignant / Aide-soignante", "J1501"),
    ("Aide-soignant / Aide-soignante de nuit", "J1501"),
    ("Chauffeur / Chauffeuse poids lourd", "N4101"),
    ("Conducteur / Conductrice de poids lourd", "N4101"),
    ("Développeur / Développeuse informatique", "M1805"),
    ("Développeur / Développeuse Java", "M1805"),
    ("Data engineer", "M1811"),
    ("Ingénieur / Ingénieure données", "M1811"),
    ("Agent / Agente de nettoyage", "K2204"),
    ("Agent / Agente d'entretien des locaux", "K2204"),
    ("Serveur / Serveuse en restauration", "G1803"),
    ("Serveur / Serveuse de café", "G1803"),
    ("Maçon / Maçonne", "F1703"),
    ("Maçon coffreur / Maçonne coffreuse", "F1703"),
]
OFFERS = [
    (
        "Boulanger H/F",
        "Boulangerie artisanale cherche boulanger pour pétrir et cuire le pain.",
        "D1102",
        "Fournil",
    ),
    (
        "Ouvrier boulanger (H/F)",
        "Fabrication du pain et des viennoiseries, cuisson au four.",
        "D1102",
        "Pains",
    ),
    (
        "Aide-soignant de nuit H/F",
        "EHPAD recrute aide-soignant pour les soins d'hygiène de nuit.",
        "J1501",
        "Ehpad",
    ),
    ("Aide soignante (H/F)", "Soins de confort et d'hygiène aux patients du service.", "J1501", "Clinique"),
    ("Chauffeur PL H/F", "Livraison régionale en poids lourd, chargement et déchargement.", "N4101", "Trans"),
    ("Chauffeur poids lourd", "Conduite d'un camion porteur pour livrer nos clients.", "N4101", "Route"),
    (
        "Développeur Java (H/F)",
        "Vous développez nos applications métier en Java et testez le code.",
        "M1805",
        "Soft",
    ),
    (
        "Développeur Python H/F",
        "Programmation des applications web en Python, tests unitaires.",
        "M1805",
        "Web",
    ),
    (
        "Data engineer H/F",
        "Construction des pipelines de données et administration des bases.",
        "M1811",
        "Data",
    ),
    ("Ingénieur données (H/F)", "Vous concevez les traitements de données et les pipelines.", "M1811", "Big"),
    ("Agent de nettoyage H/F", "Nettoyage des bureaux, des sols et des sanitaires.", "K2204", "Propre"),
    (
        "Agent d'entretien (H/F)",
        "Entretien des locaux, vidage des poubelles, nettoyage des sols.",
        "K2204",
        "Net",
    ),
    (
        "Serveur H/F",
        "Restaurant recrute serveur pour dresser les tables et servir les plats.",
        "G1803",
        "Bistrot",
    ),
    ("Serveuse en brasserie", "Service en salle, encaissement des additions.", "G1803", "Brasserie"),
    ("Maçon H/F", "Construction de maisons individuelles, montage de murs en parpaing.", "F1703", "Bati"),
    ("Maçon coffreur (H/F)", "Coffrage et coulage de dalles en béton sur nos chantiers.", "F1703", "Beton"),
]


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="session")
def small_data_dir(tmp_path_factory):
    """A DATA_DIR with a seven-family ROME referential (same CSV layout as RefRomeCsv v460) and coded offers."""
    root = tmp_path_factory.mktemp("data")
    rome = root / "rome4"
    rome.mkdir()
    _write(
        rome / "unix_referentiel_code_rome_v460_utf8.csv",
        ["code_rome", "code_fiche_metier", "code_ogr", "libelle_rome", "code_rome_parent"],
        [(code, i, 1000 + i, label, parent) for i, (code, label, parent, _, _) in enumerate(FICHES)],
    )
    _write(
        rome / "unix_referentiel_appellation_v460_utf8.csv",
        ["code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome", "peu_usite"],
        [(2000 + i, label, label, code, "N") for i, (label, code) in enumerate(APPELLATIONS)],
    )
    _write(
        rome / "unix_texte_v460_utf8.csv",
        ["code_rome", "code_compo_bloc", "libelle_type_texte", "position_phrase", "libelle_texte"],
        [(code, 3, "definition", 1, definition) for code, _, _, definition, _ in FICHES],
    )
    items, links = [], []
    for code, _, _, _, skills in FICHES:
        for skill in skills:
            items.append((3000 + len(items), skill, 1))
            links.append((code, items[-1][0], ""))
    _write(rome / "unix_item_v460_utf8.csv", ["code_ogr", "libelle", "code_rubrique"], items)
    _write(rome / "unix_coherence_item_v460_utf8.csv", ["code_rome", "code_ogr", "coeur_metier"], links)
    offers = root / "offers"
    offers.mkdir()
    with (offers / "francetravail_offers_dev.jsonl").open("w", encoding="utf-8") as handle:
        for number, (title, description, code, employer) in enumerate(OFFERS):
            record = {
                "id": f"T{number}",
                "intitule": title,
                "description": description,
                "romeCode": code,
                "entreprise": {"nom": employer},
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return root


@pytest.fixture(scope="session")
def small_coder(small_data_dir):
    from offers.coding import train

    return train(small_data_dir, seed=0)
