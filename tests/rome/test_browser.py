import pytest
from django.core.management import call_command

from rome.models import Fiche
from tests.rome.conftest import DATA


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choose_an_appellation_with_the_keyboard_and_land_on_its_fiche(page):
    if not Fiche.objects.filter(code="M1855").exists():  # the real referential may already be loaded
        call_command("sync_rome", write=True, data_dir=DATA, verbosity=0)
    page.goto("/metiers/")
    box = page.get_by_role("combobox", name="Métier, appellation ou code ROME")
    box.press_sequentially("developpeur web", delay=20)
    option = page.get_by_role("option").first
    option.wait_for()
    assert "Développeur / Développeuse web" in option.inner_text()
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url("**/metiers/fiches/M1855/**")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Développeur / Développeuse web")
