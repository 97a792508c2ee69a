from diagnosis.commands import SyncCommand
from diagnosis.imports import sync_bmo


class Command(SyncCommand):
    help = (
        "Load the BMO 2025 survey (hiring projects, difficult and seasonal ones, by BMO occupation × basin)."
    )
    default_file = "labour_market/bmo_2025_open_data.csv"

    def sync(self, report, *, data_dir, path, quiet):
        sync_bmo(report, path=path, quiet=quiet)
