from diagnosis.commands import SyncCommand
from diagnosis.imports import sync_open_offers


class Command(SyncCommand):
    help = "Load the open offers by commune × ROME (2021-12-21), summed while streaming, for the region's communes."
    default_file = "labour_market/mobiville/20211221_mv_villes_offre_full.csv.bz2"

    def sync(self, report, *, data_dir, path, quiet):
        sync_open_offers(report, path=path, quiet=quiet)
