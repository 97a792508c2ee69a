from datetime import date, time
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from core.sync import SourceError
from reach.services import import_gtfs


class Command(BaseCommand):
    help = (
        "Compute public transport times between communes from a GTFS feed (zip or folder) for a weekday morning "
        "and store them; they replace the model's estimates for the pairs the feed serves. Dry run unless --write."
    )

    def add_arguments(self, parser):
        parser.add_argument("feed", type=Path)
        parser.add_argument("--name", help="feed name (default: the file name)")
        parser.add_argument("--date", type=date.fromisoformat, required=True, help="service day, YYYY-MM-DD")
        parser.add_argument("--from", dest="window_start", type=time.fromisoformat, default=time(7, 0))
        parser.add_argument("--to", dest="window_end", type=time.fromisoformat, default=time(9, 0))
        parser.add_argument("--write", action="store_true", help="store the times (default: report only)")

    def handle(self, *args, feed: Path, name, date, window_start, window_end, write, **options):
        if not feed.exists():
            raise CommandError(f"{feed}: no such file or folder")
        try:
            report = import_gtfs(
                source=feed,
                name=name or feed.stem,
                service_date=date,
                window_start=window_start,
                window_end=window_end,
                write=write,
            )
        except SourceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{report['stops']} stops, {report['connections']} connections on {date}, "
            f"{report['pairs']} commune pairs from {report['communes_served']} communes"
        )
        for line in report["rejected"]:
            self.stdout.write(f"rejected: {line}")
        self.stdout.write("stored" if write else "dry run: nothing was written (pass --write to store)")
