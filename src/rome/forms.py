from django import forms
from dsfr.forms import DsfrBaseForm

from rome.widgets import AppellationField


class MetierSearchForm(DsfrBaseForm):
    """The search box of the ROME pages: an appellation chosen in the autocomplete, or free text."""

    appellation = AppellationField(
        label="Métier, appellation ou code ROME",
        required=False,
        help_text="Par exemple : aide-soignant, développeur web, M1805. Choisissez une suggestion ou lancez la recherche.",
    )


class DomaineFilterForm(DsfrBaseForm):
    q = forms.CharField(label="Filtrer les fiches", required=False, max_length=200)
