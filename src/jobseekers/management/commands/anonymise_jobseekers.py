from django.core.management import BaseCommand, CommandError

from jobseekers.models import FollowUp, JobSeeker
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
        "(docs/rgpd.md), or one record on the person's request (--record, once its follow-ups are ended). "
        "Dry run by default: lists what would be anonymised; --write applies. Idempotent; schedule it daily "
        "(cron or systemd timer, see docs/rgpd.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="anonymise (without it, only report)")
        parser.add_argument(
            "--record", type=int, metavar="ID", help="anonymise this record now (erasure asked by the person)"
        )

    def handle(self, *args, write: bool = False, record: int | None = None, **options):
        if record is not None:
            due = self._one(record)
        else:
            self.stdout.write(f"Cutoff: last follow-up before {retention_cutoff():%Y-%m-%d %H:%M %Z}.")
            due = list(records_to_anonymise().order_by("pk").values_list("pk", "last_followed_at"))
        for pk, last_followed_at in due:
            verb = "anonymised" if write else "would anonymise"
            self.stdout.write(f"{verb}: record {pk} (last followed {last_followed_at:%Y-%m-%d})")
            if write:
                anonymise(JobSeeker.objects.get(pk=pk))
        if record is None and (stale := stale_open_records().count()):
            self.stdout.write(
                f"{stale} record(s) still have an open follow-up but no activity for {RETENTION_YEARS} years: "
                "their organisations should end the follow-up (not anonymised)."
            )
        summary = f"{len(due)} record(s) {'anonymised' if write else 'to anonymise (dry run, use --write)'}."
        self.stdout.write(self.style.SUCCESS(summary))

    def _one(self, pk: int) -> list:
        jobseeker = JobSeeker.objects.filter(pk=pk).first()
        if jobseeker is None:
            raise CommandError(f"No record {pk}.")
        if jobseeker.anonymised_at is not None:
            self.stdout.write(f"record {pk} is already anonymised.")
            return []
        if FollowUp.objects.active().filter(jobseeker=jobseeker).exists():
            raise CommandError(
                f"Record {pk} is still followed: its organisations must end their follow-ups first."
            )
        return [(jobseeker.pk, jobseeker.last_followed_at)]
