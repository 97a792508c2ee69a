from diagnosis.commands import SyncCommand
from diagnosis.imports import sync_tension


class Command(SyncCommand):
    help = "Load the 2021 tension file (offers, job seekers, official tension class and components, ROME × basin)."
    default_file = "labour_market/mobiville/cities-tension-utf8.csv"

    def sync(self, report, *, data_dir, path, quiet):
        sync_tension(report, path=path, quiet=quiet)
