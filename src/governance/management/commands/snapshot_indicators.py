from django.core.management import BaseCommand
from django.utils import timezone

from governance import indicators, services
from governance.models import Indicator


class Command(BaseCommand):
    help = (
        "Store today's value of every computed indicator whose query is available (run daily or weekly by cron) so "
        "that series keep their history. Indicators whose source is not available yet are listed and skipped."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        for indicator in Indicator.objects.filter(source=Indicator.Source.COMPUTED).select_related(
            "commitment__protocol"
        ):
            try:
                measurement = services.snapshot_indicator(indicator=indicator, on=today)
            except indicators.IndicatorUnavailable as exc:
                self.stdout.write(f"{indicator}: ignoré ({exc})")
                continue
            self.stdout.write(f"{indicator}: {measurement.value} au {today:%d/%m/%Y}")
