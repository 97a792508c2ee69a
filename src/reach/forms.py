from dsfr.forms import DsfrBaseForm

from territories.widgets import CommuneField


class TripForm(DsfrBaseForm):
    origin = CommuneField(label="Commune de départ")
    destination = CommuneField(label="Commune d'arrivée")
