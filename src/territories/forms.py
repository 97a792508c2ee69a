from dsfr.forms import DsfrBaseForm

from territories.widgets import CommuneField


class CommuneSearchForm(DsfrBaseForm):
    commune = CommuneField(label="Commune")
