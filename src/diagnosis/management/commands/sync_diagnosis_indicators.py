import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand

from diagnosis.indicators import recompute_indicators


class Command(BaseCommand):
    help = (
        "Recompute every diagnosis indicator (occupation × territory) of the region from the imported figures, "
        "the training supply and the platform's offers. Dry run unless --write."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true")
        parser.add_argument("--data-dir", type=Path, default=None, help="unused: accepted for load-reference")
        parser.add_argument("--region", default=settings.REGION_CODE)

    def handle(self, *args, write: bool, region: str, **options):
        if not write:
            self.stdout.write("dry run: nothing to compute without --write (the table is rebuilt as a whole)")
            return
        started = time.perf_counter()
        count = recompute_indicators(region_code=region)
        self.stdout.write(
            f"{count} indicateurs recalculés pour la région {region} en {time.perf_counter() - started:.1f} s"
        )
