from diagnosis.commands import SyncCommand
from diagnosis.imports import sync_tension_list


class Command(SyncCommand):
    help = "Load the official regional lists of occupations in tension (March 2024, FAP-2009)."
    default_file = "labour_market/metiers_en_tension_mars_2024.csv"

    def sync(self, report, *, data_dir, path, quiet):
        sync_tension_list(report, path=path)
