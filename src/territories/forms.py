from django import forms
from dsfr.forms import DsfrBaseForm

from territories.widgets import CommuneField


class CommuneSearchForm(DsfrBaseForm):
    commune = CommuneField(label="Commune")


class RadiusForm(DsfrBaseForm):
    RADII_KM = (5, 10, 15, 20, 30, 50)

    rayon = forms.TypedChoiceField(
        label="Rayon autour de la commune",
        choices=[(radius, f"{radius} km") for radius in RADII_KM],
        coerce=int,
        initial=15,
    )
