import pytest
from dsfr.forms import DsfrBaseForm

from territories.models import Commune, Departement
from territories.widgets import CommuneAutocomplete, CommuneField
from tests.factories import CommuneFactory


class PlaceForm(DsfrBaseForm):
    commune = CommuneField()


def clean(data):
    form = PlaceForm(data)
    return form, form.is_valid()


def test_picked_code_is_used(fixture_territory):
    form, valid = clean({"commune": "96002", "commune_text": "Dreuil-lès-Villecentre (96)"})
    assert valid and form.cleaned_data["commune"].code == "96002"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Villecentre", "96001"),
        ("  villecentre ", "96001"),
        ("Villecentre (96)", "96001"),
        ("dreuil les villecentre", "96002"),
        ("St-Essai", "96003"),
        ("96470", "96002"),
        ("96080", "96001"),
        ("97056", "97056"),
    ],
)
def test_typed_text_is_resolved_without_javascript(fixture_territory, typed, expected):
    form, valid = clean({"commune": "", "commune_text": typed})
    assert valid, form.errors
    assert form.cleaned_data["commune"].code == expected


def test_unknown_text_is_a_clear_error(fixture_territory):
    form, valid = clean({"commune": "", "commune_text": "Nulle-Part"})
    assert not valid
    assert form.errors["commune"] == [
        "Aucune commune ne correspond à « Nulle-Part ». Vérifiez l'orthographe ou saisissez le code postal."
    ]


def test_ambiguous_text_lists_the_choices(fixture_territory):
    CommuneFactory(
        code="97999", name="Villecentre", departement=Departement.objects.get(pk="97"), population=10
    )
    form, valid = clean({"commune": "", "commune_text": "Villecentre"})
    assert not valid
    assert form.errors["commune"] == [
        "« Villecentre » correspond à plusieurs communes : Villecentre (96), Villecentre (97). Précisez le "
        "département, par exemple « Villecentre (96) »."
    ]
    form, valid = clean({"commune": "", "commune_text": "Villecentre (97)"})
    assert valid and form.cleaned_data["commune"].code == "97999"


def test_required_and_invalid_code(fixture_territory):
    form, valid = clean({"commune": "", "commune_text": ""})
    assert not valid and "commune" in form.errors
    form, valid = clean({"commune": "12345", "commune_text": "x"})
    assert not valid and "commune" in form.errors


def test_widget_renders_the_autocomplete_with_the_current_label(fixture_territory):
    html = PlaceForm(initial={"commune": Commune.objects.get(pk="96001")}).as_div()
    assert 'data-url="/api/v1/territories/communes"' in html
    assert 'data-item-value="code"' in html and 'data-item-label="label"' in html
    assert 'name="commune_text" value="Villecentre (96)"' in html
    assert 'type="hidden" name="commune" value="96001"' in html
    assert "<label" in html and "Commune" in html


def test_widget_keeps_what_was_typed_after_an_error(fixture_territory):
    form, _ = clean({"commune": "", "commune_text": "Nulle-Part"})
    assert 'value="Nulle-Part"' in str(form["commune"])
    assert CommuneAutocomplete().label_for("99999") == ""
