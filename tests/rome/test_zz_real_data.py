"""The real RefRomeCsv v460 files of DATA_DIR, loaded once per session by the `reference_data` fixture.

The file name makes it run last in this folder: the real referential stays in the test database afterwards
(the other tests empty the ROME tables first, see `empty_rome`, which costs a little when it is there)."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from rome.models import Appellation, DomaineProfessionnel, Fiche, FicheSkill, GrandDomaine, Mobility, Skill
from rome.search import search_appellations

pytestmark = [pytest.mark.real_data, pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_the_whole_referential_is_loaded():
    assert GrandDomaine.objects.count() == 14
    assert DomaineProfessionnel.objects.count() == 110
    assert Fiche.objects.count() == 1584
    assert Appellation.objects.count() == 13120
    assert Appellation.objects.filter(is_principal=True).count() == 1584
    assert Appellation.objects.filter(rarely_used=True).count() == 199
    assert Skill.objects.count() == 18317 + 15354
    assert FicheSkill.objects.count() == 104219 - 13663  # links to work contexts are not skills
    assert Mobility.objects.count() == 14912
    assert Fiche.objects.values("parent_code").distinct().count() == 532
    assert not Fiche.objects.filter(parent_label="").exists()
    assert Fiche.objects.get(code="M1855").parent_code == "M1805"


def test_running_again_changes_nothing():
    out = io.StringIO()
    call_command("sync_rome", verbosity=1, stdout=out)
    assert "Nothing to change: the database already matches the files." in out.getvalue()


@pytest.mark.parametrize(
    ("query", "rome_parent"),
    [
        ("developpeur web", "M1805"),
        ("aide soignant", "J1501"),
        ("cariste", "N1101"),
        ("boulanger", "D1102"),
        ("infirmier", "J1506"),
        ("Aide-soignante (H/F) CDI", "J1501"),
        ("devloppeur web", "M1805"),
        ("plombiere", "F1603"),
    ],
)
def test_everyday_queries(query, rome_parent):
    top = search_appellations(query, limit=1)[0]
    assert Fiche.objects.get(code=top.entry.rome_code).parent_code == rome_parent


def test_quality_bar_on_real_offer_titles():
    """At least 55% of real offers' titles find an appellation of their ROME (v3 parent level)."""
    parent_of = dict(Fiche.objects.values_list("code", "parent_code"))
    offers = [
        json.loads(line) for line in (settings.DATA_DIR / "offers" / "francetravail_offers_dev.jsonl").open()
    ]
    pairs = [
        (o["intitule"], parent_of[o["romeCode"]])
        for o in offers
        if o.get("intitule") and o.get("romeCode") in parent_of
    ]
    right = 0
    for title, expected in pairs:
        results = search_appellations(title, limit=1)
        right += bool(results) and parent_of[results[0].entry.rome_code] == expected
    assert len(pairs) > 1500
    assert right / len(pairs) >= 0.55
