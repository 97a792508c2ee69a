"""The shape shared by the diagnosis' `sync_*` commands: dry run unless --write, one transaction, a report."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from core.sync import SourceError, SyncReport, run_sync


class SyncCommand(BaseCommand):
    default_file = ""  # under DATA_DIR

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")
        parser.add_argument("--data-dir", type=Path, default=None, help=f"default: {settings.DATA_DIR}")
        if self.default_file:
            parser.add_argument(
                "--file", type=Path, default=None, help=f"default: DATA_DIR/{self.default_file}"
            )

    def sync(self, report: SyncReport, *, data_dir: Path, path: Path | None, quiet: bool) -> None:
        raise NotImplementedError

    def handle(self, *args, write: bool, data_dir: Path | None, **options):
        data_dir = Path(data_dir or settings.DATA_DIR)
        path = options.get("file") or (data_dir / self.default_file if self.default_file else None)
        quiet = options["verbosity"] < 2
        started = time.perf_counter()
        try:
            report = run_sync(
                lambda report: self.sync(report, data_dir=data_dir, path=path, quiet=quiet), write=write
            )
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"{time.perf_counter() - started:.1f} s")
