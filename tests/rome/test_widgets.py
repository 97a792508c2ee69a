import pytest
from dsfr.forms import DsfrBaseForm

from rome.widgets import AppellationField, AppellationMultipleField

pytestmark = pytest.mark.usefixtures("small_rome")


class JobForm(DsfrBaseForm):
    appellation = AppellationField(label="Métier recherché")


class OptionalJobForm(DsfrBaseForm):
    appellation = AppellationField(label="Métier recherché", required=False)


def test_widget_renders_the_accessible_autocomplete():
    html = str(JobForm(initial={"appellation": 14156})["appellation"])
    assert 'data-url="/api/v1/rome/appellations"' in html
    assert 'data-item-value="code_ogr"' in html and 'data-item-hint="rome_code"' in html
    assert 'role="combobox"' in html and 'name="appellation_text"' in html
    assert (
        'value="Développeur / Développeuse web"' in html
        and 'type="hidden" name="appellation" value="14156"' in html
    )


def test_the_code_chosen_with_javascript_wins():
    form = JobForm(data={"appellation": "10891", "appellation_text": "whatever"})
    assert form.is_valid() and form.cleaned_data["appellation"].label == "Aide-soignant / Aide-soignante"


def test_an_unknown_code_is_an_error():
    form = JobForm(data={"appellation": "1", "appellation_text": ""})
    assert not form.is_valid() and "n'existe pas dans le ROME" in form.errors["appellation"][0]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("aide soignante", 10891), ("Développeur / Développeuse web", 14156), ("developpeur web", 14156)],
)
def test_without_javascript_a_confident_text_is_resolved(typed, code):
    form = JobForm(data={"appellation": "", "appellation_text": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["appellation"].code_ogr == code


def test_without_javascript_an_ambiguous_text_lists_suggestions():
    form = JobForm(data={"appellation": "", "appellation_text": "developpeur"})
    assert not form.is_valid()
    message = form.errors["appellation"][0]
    assert "est ambigu" in message and "(M1805)" in message and "(M1855)" in message
    assert 'value="developpeur"' in str(form["appellation"])  # what was typed is shown again


def test_without_javascript_an_unknown_text_is_an_error():
    form = JobForm(data={"appellation": "", "appellation_text": "zzzzqqq"})
    assert not form.is_valid() and "Aucun métier du ROME ne correspond" in form.errors["appellation"][0]


def test_required_and_optional():
    assert "appellation" in JobForm(data={"appellation": "", "appellation_text": ""}).errors
    form = OptionalJobForm(data={"appellation": "", "appellation_text": ""})
    assert form.is_valid() and form.cleaned_data["appellation"] is None


class TargetsForm(DsfrBaseForm):
    appellations = AppellationMultipleField(label="Métiers recherchés", slots=3)


def test_multiple_field_renders_one_labelled_autocomplete_per_slot():
    html = str(TargetsForm(initial={"appellations": [10891]})["appellations"])
    assert html.count('role="combobox"') == 3
    assert 'name="appellations_0"' in html and 'name="appellations_2_text"' in html
    assert 'for="id_appellations_1"' in html and "Autre métier (2)" in html
    assert 'value="Aide-soignant / Aide-soignante"' in html


def test_multiple_field_mixes_chosen_codes_and_typed_texts_in_order():
    data = {"appellations_0": "14156", "appellations_1": "", "appellations_1_text": "aide soignante"}
    form = TargetsForm(data=data)
    assert form.is_valid(), form.errors
    assert [a.code_ogr for a in form.cleaned_data["appellations"]] == [14156, 10891]


def test_multiple_field_reports_each_unresolved_text_and_requires_one():
    form = TargetsForm(data={"appellations_0_text": "zzzzqqq", "appellations_1": "1"})
    assert not form.is_valid()
    messages = form.errors["appellations"]
    assert any("Aucun métier du ROME" in m for m in messages) and any("n'existe pas" in m for m in messages)
    assert TargetsForm(data={"appellations_0": ""}).errors["appellations"] == ["Indiquez au moins un métier."]
