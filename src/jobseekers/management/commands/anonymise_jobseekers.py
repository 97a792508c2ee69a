from django.core.management import BaseCommand

from jobseekers.services import (
    RETENTION_YEARS,
    anonymise,
    records_to_anonymise,
    retention_cutoff,
    stale_open_records,
)


class Command(BaseCommand):
    help = (
        f"Anonymise the records of people no organisation has followed for {RETENTION_YEARS} years "
        "(docs/rgpd.md). Dry run by default: lists what would be anonymised; --write applies. Idempotent; "
        "schedule it daily (cron or systemd timer, see docs/rgpd.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="anonymise (without it, only report)")

    def handle(self, *args, write: bool = False, **options):
        cutoff = retention_cutoff()
        due = list(records_to_anonymise().order_by("pk").values_list("pk", "last_followed_at"))
        stale = stale_open_records().count()
        self.stdout.write(f"Cutoff: last follow-up before {cutoff:%Y-%m-%d %H:%M %Z}.")
        for pk, last_followed_at in due:
            verb = "anonymised" if write else "would anonymise"
            self.stdout.write(f"{verb}: record {pk} (last followed {last_followed_at:%Y-%m-%d})")
            if write:
                from jobseekers.models import JobSeeker

                anonymise(JobSeeker.objects.get(pk=pk))
        if stale:
            self.stdout.write(
                f"{stale} record(s) still have an open follow-up but no activity for {RETENTION_YEARS} years: "
                "their organisations should end the follow-up (not anonymised)."
            )
        summary = f"{len(due)} record(s) {'anonymised' if write else 'to anonymise (dry run, use --write)'}."
        self.stdout.write(self.style.SUCCESS(summary))
