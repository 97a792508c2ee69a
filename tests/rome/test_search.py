import pytest

from rome import search
from rome.search import AppellationIndex, Entry, stem, words
from tests.factories import AppellationFactory, FicheFactory

ENTRIES = [
    # code_ogr, label, rome_code, rome_label, principal, rarely_used
    (14156, "Développeur / Développeuse web", "M1855", "Développeur / Développeuse web", True, False),
    (38745, "Développeur / Développeuse web mobile", "M1855", "Développeur / Développeuse web", False, False),
    (
        14153,
        "Développeur / Développeuse informatique",
        "M1805",
        "Développeur / Développeuse informatique",
        True,
        False,
    ),
    (10891, "Aide-soignant / Aide-soignante", "J1501", "Aide-soignant / Aide-soignante", True, False),
    (
        10892,
        "Aide-soignant / Aide-soignante à domicile",
        "J1501",
        "Aide-soignant / Aide-soignante",
        False,
        True,
    ),
    (11017, "Aide à domicile", "K1302", "Assistant / Assistante de vie aux familles", False, False),
    (12345, "Cariste", "N1101", "Conducteur / Conductrice de chariot élévateur", True, False),
    (11573, "Boulanger / Boulangère", "D1102", "Boulanger / Boulangère", True, False),
    (16112, "Infirmier / Infirmière en soins généraux (IDE)", "J1506", "Infirmier / Infirmière", True, False),
    (404278, "Data engineer", "M1811", "Data engineer", True, False),
    (20000, "Soudeur / Soudeuse", "H2913", "Soudeur / Soudeuse", True, False),
    (20001, "Soudeur / Soudeuse TIG", "H2913", "Soudeur / Soudeuse", False, False),
    (20002, "Soudeur / Soudeuse MIG", "H2913", "Soudeur / Soudeuse", False, False),
    (
        38999,
        "Développeur / Développeuse logiciel ou d'application",
        "M1861",
        "Développeur / Développeuse logiciel",
        True,
        False,
    ),
    (
        17000,
        "Ingénieur / Ingénieure d'études informatique",
        "M1805",
        "Développeur / Développeuse informatique",
        False,
        False,
    ),
]


@pytest.fixture(scope="module")
def index():
    return AppellationIndex(
        [
            Entry(code, label, label, rome, rome_label, rome, principal, rare)
            for code, label, rome, rome_label, principal, rare in ENTRIES
        ],
        {"J1501": "Réalise des soins d'hygiène et de confort du patient"},
    )


def first(index, query):
    results = index.search(query, limit=3)
    return results[0].entry.code_ogr if results else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("developpeur web", 14156),
        ("Développeur Web (H/F)", 14156),
        ("DEVELOPPEUSE WEB - CDI - Lille", 14156),
        ("devloppeur web", 14156),  # typo
        ("développeurs web", 14156),  # plural
        ("aide soignant", 10891),
        ("aide-soignante", 10891),  # feminine, hyphen
        ("Aides-soignantes en alternance", 10891),
        ("cariste", 12345),
        ("cariste H/F confirmé", 12345),
        ("boulangere", 11573),
        ("infirmiere", 16112),
        ("Data engineer senior", 404278),
        ("software developer", 38999),  # English title
        ("web", 14156),
        ("boulang", 11573),  # unfinished word of an autocomplete
        ("aide so", 10891),
        ("soud", 20000),
    ],
)
def test_queries_find_the_expected_appellation(index, query, expected):
    assert first(index, query) == expected


def test_an_unfinished_word_is_completed_with_the_words_typed_before(index):
    assert index._resolve_word("so", last=True)[0][0] == "soudeur"  # the most frequent completion alone
    assert index._resolve_word("so", last=True, context=("aide",))[0][0] == "soignant"


def test_rarely_used_and_synonyms_come_after_the_principal_appellation(index):
    codes = [m.entry.code_ogr for m in index.search("aide soignant", limit=5)]
    assert codes.index(10891) < codes.index(10892)


def test_results_are_sorted_scored_and_limited(index):
    results = index.search("developpeur", limit=2)
    assert len(results) == 2
    assert 1 >= results[0].score >= results[1].score > 0
    assert set(results[0].as_dict()) == {"code_ogr", "label", "rome_code", "rome_label", "score"}


@pytest.mark.parametrize("query", ["", "   ", "H/F", "(H/F) CDI", "zzzzqqq", "12345"])
def test_empty_or_meaningless_queries_find_nothing(index, query):
    assert index.search(query) == []


def test_stemming_unifies_feminine_and_plural_forms():
    assert stem("soignantes") == stem("soignant") == "soignant"
    assert stem("developpeuse") == stem("developpeur")
    assert stem("administratrice") == stem("administrateur")
    assert stem("infirmieres") == stem("infirmier")
    assert stem("technicienne") == stem("technicien")
    assert words("Développeur(se) web (H/F) CDI", noise=True) == ["developpeur", "web"]


@pytest.mark.usefixtures("empty_rome")
def test_the_database_index_follows_the_data():
    web = AppellationFactory(
        code_ogr=14156, label="Développeur / Développeuse web", fiche=FicheFactory(code="M1855")
    )
    assert [m.entry.code_ogr for m in search.search_appellations("developpeur web")] == [web.code_ogr]
    AppellationFactory(code_ogr=14157, label="Développeur / Développeuse web mobile", fiche=web.fiche)
    # another process (or a test) changed the table: the version stamp differs, the index is rebuilt
    assert {m.entry.code_ogr for m in search.search_appellations("developpeur web mobile")} == {14156, 14157}
    assert search.search_appellations("developpeur web mobile")[0].entry.code_ogr == 14157
