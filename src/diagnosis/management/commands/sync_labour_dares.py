from diagnosis.commands import SyncCommand
from diagnosis.imports import sync_dares_series


class Command(SyncCommand):
    help = "Load the DARES national tension series by FAP-2009 family (2011-2019)."
    default_file = "labour_market/dares/inputs/tensions/evol_tensions.csv"

    def sync(self, report, *, data_dir, path, quiet):
        sync_dares_series(report, path=path)
