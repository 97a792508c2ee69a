"""`reseau-emploi sync-rome [--write] [--data-dir DIR] [--download]`: load France Travail's ROME 4.0."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db.models import ProtectedError

from core.sync import SourceError
from rome.download import DownloadError, download_rome
from rome.services import sync_rome


class Command(BaseCommand):
    help = (
        "Synchronise the ROME 4.0 tables with the RefRomeCsv files of DATA_DIR/rome4 (ROME v3 parent labels from "
        "DATA_DIR/rome3/rome_v3_fiches.csv). Dry run unless --write; one transaction; reports the differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")
        parser.add_argument("--data-dir", type=Path, default=None, help=f"default: {settings.DATA_DIR}")
        parser.add_argument(
            "--download",
            action="store_true",
            help="first fetch the official RefRomeCsv export from data.gouv.fr into DATA_DIR/rome4",
        )

    def handle(self, *args, write: bool, data_dir: Path | None, download: bool, **options):
        data_dir = Path(data_dir or settings.DATA_DIR)
        verbosity = options["verbosity"]
        rome_dir = data_dir / "rome4"
        started = time.perf_counter()
        try:
            if download:
                for line in download_rome(rome_dir):
                    if verbosity:
                        self.stdout.write(line)
            report = sync_rome(
                rome_dir=rome_dir,
                v3_fiches=data_dir / "rome3" / "rome_v3_fiches.csv",
                write=write,
                progress=verbosity > 0,
            )
        except (SourceError, DownloadError) as exc:
            raise CommandError(str(exc)) from exc
        except ProtectedError as exc:
            used = ", ".join(sorted({str(obj) for obj in exc.protected_objects})[:5])
            raise CommandError(
                f"nothing written: rows removed from the ROME are still used elsewhere ({used})"
            ) from exc
        if verbosity:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"sync_rome: {time.perf_counter() - started:.1f} s")
