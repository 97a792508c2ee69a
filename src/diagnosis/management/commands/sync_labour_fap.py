from diagnosis.commands import SyncCommand
from diagnosis.imports import sync_rome_fap


class Command(SyncCommand):
    help = (
        "Load the DARES ROME v3 ↔ FAP-2009 tables, the FAP-2021 nomenclature and the FAP-2021 → 2009 bridge."
    )

    def sync(self, report, *, data_dir, path, quiet):
        sync_rome_fap(report, data_dir=data_dir)
