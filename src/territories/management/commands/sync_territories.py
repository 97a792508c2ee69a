import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from core.sync import SourceError, run_sync
from territories.download import DownloadError, download_territories
from territories.services import sync_territories


class Command(BaseCommand):
    help = (
        "Synchronise régions, départements, EPCI, communes (all of France), zones d'emploi 2020 and France "
        "Travail basins from DATA_DIR/territories. Dry run unless --write; one transaction; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")
        parser.add_argument("--data-dir", type=Path, default=None, help=f"default: {settings.DATA_DIR}")
        parser.add_argument(
            "--download",
            action="store_true",
            help="first fetch the official open-data files into DATA_DIR/territories (see docs/territories.md)",
        )

    def handle(self, *args, write: bool, data_dir: Path | None, download: bool, verbosity: int, **options):
        data_dir = Path(data_dir or settings.DATA_DIR)
        started = time.perf_counter()
        if download:
            try:
                for line in download_territories(data_dir=data_dir):
                    if verbosity:
                        self.stdout.write(line)
            except DownloadError as exc:
                raise CommandError(str(exc)) from exc
        if verbosity:
            mode = "writing" if write else "dry run (nothing will be written; pass --write to apply)"
            self.stdout.write(f"sync_territories from {data_dir / 'territories'}: {mode}")
        progress = partial(tqdm, disable=verbosity == 0, leave=False, file=self.stderr._out)
        try:
            report = run_sync(
                lambda report: sync_territories(report, data_dir=data_dir, progress=progress), write=write
            )
        except SourceError as exc:
            raise CommandError(f"{exc} — nothing was written.") from exc
        if verbosity:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
