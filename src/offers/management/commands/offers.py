"""`reseau-emploi offers …`: import a file, export the clusters, classify offers in ROME, rebuild the clusters,
close the expired offers, train the ROME model, build the search index. Files may be `-` (stdin / stdout). Exits non-zero only when nothing could be processed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.sync import SourceError
from offers.connectors import FORMATS, connector


class Command(BaseCommand):
    help = (
        "Pool of job offers: import, export-clusters, classify, rebuild-clusters, close-expired, train-model, "
        "build-search-index."
    )
    requires_system_checks = []  # `classify` must run without a database

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = actions.add_parser("import", help="import a file of offers into a source (created if new)")
        imp.add_argument("--source", required=True, help="source name (slug), e.g. francetravail, region")
        imp.add_argument("--format", required=True, choices=FORMATS)
        imp.add_argument("--mapping", help="CSV only: JSON file {canonical name: column name}")
        imp.add_argument(
            "--snapshot", action="store_true", help="the file is complete: close the offers missing"
        )
        imp.add_argument("--owner", help="name of the organisation owning a new source")
        imp.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="records stored and committed together (default 2000; smaller uses less memory)",
        )
        imp.add_argument("file", help="file to import, or - for stdin")

        export = actions.add_parser("export-clusters", help="one JSON line per publication with its cluster")
        export.add_argument("out", help="output JSON Lines file, or - for stdout")

        classify = actions.add_parser(
            "classify", help="ROME coding of offers (JSON Lines), no database needed"
        )
        classify.add_argument(
            "input", help="JSON Lines: France Travail offers or {id, title, description}; - = stdin"
        )
        classify.add_argument("out", help="output JSON Lines, or - for stdout")
        classify.add_argument("--candidates", type=int, default=10, help="candidates per offer (at least 5)")

        fetch = actions.add_parser(
            "fetch-francetravail", help="import from the France Travail API (env credentials)"
        )
        fetch.add_argument("--source", default="francetravail")
        fetch.add_argument("--departements", default="02,59,60,62,80", help="comma-separated codes")
        fetch.add_argument("--days", type=int, default=31, help="offers created in the last N days")
        fetch.add_argument(
            "--snapshot", action="store_true", help="close this source's offers no longer served"
        )

        actions.add_parser("rebuild-clusters", help="full deduplication of the open publications")
        actions.add_parser("close-expired", help="close the publications whose expiry date is past")
        actions.add_parser(
            "build-search-index", help="read the open offers into a new search index (offers.search_index)"
        )
        train = actions.add_parser("train-model", help="train the ROME coding model and write its file")
        train.add_argument("--output", help="model file (default: the one the app loads)")

    def handle(self, *args, action, **options):
        handler = {
            "import": self.import_file,
            "export-clusters": self.export_clusters,
            "classify": self.classify,
            "rebuild-clusters": self.rebuild_clusters,
            "close-expired": self.close_expired,
            "fetch-francetravail": self.fetch_francetravail,
            "train-model": self.train_model,
            "build-search-index": self.build_search_index,
        }[action]
        handler(**options)
        if action in {"import", "fetch-francetravail", "rebuild-clusters", "close-expired"}:
            self.refresh_search_index()

    def build_search_index(self, **_):
        from offers.search_index.store import build_search_index

        self.report_search_index(build_search_index())

    def refresh_search_index(self):
        """The web processes catch up with a few changes by themselves; after more, the index is rebuilt."""
        from offers.search_index.store import refresh_search_index

        report = refresh_search_index()
        if report is not None:
            self.report_search_index(report)

    def report_search_index(self, report):
        self.summary(
            f"Search index: {report.offers} open offers in {report.seconds:.1f} s ({report.directory}); "
            f"{report.purged_changes} change log entries purged."
        )

    def summary(self, text: str, *, data_on_stdout: bool = False) -> None:
        (sys.stderr if data_on_stdout else self.stdout).write(text + "\n")

    def import_file(self, *, source, format, mapping, snapshot, owner, file, batch_size, **_):
        from accounts.models import Organisation
        from offers import services
        from offers.models import Source

        if batch_size is not None and batch_size < 1:
            raise CommandError(f"--batch-size: {batch_size} is not a positive number of records")
        organisation = None
        if owner:
            organisation = Organisation.objects.filter(name=owner).first()
            if organisation is None:
                raise CommandError(f"--owner: no organisation named {owner!r}")
        source_obj = Source.objects.filter(name=source).first()
        if source_obj is None:
            source_obj = services.get_or_create_source(name=source, kind=format, owner=organisation)
            self.summary(f"New source {source!r} ({format}).")
        parse = connector(format)
        stream = sys.stdin.buffer if file == "-" else file
        try:
            records = parse(stream, source=source_obj.name, mapping=mapping)
            run = services.import_records(
                source=source_obj,
                records=records,
                file_name="<stdin>" if file == "-" else Path(file).name,
                snapshot=snapshot,
                batch_size=batch_size or services.BATCH_SIZE,
            )
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        self.summary(
            f"{source_obj.name}: read {run.read_count}, created {run.created_count}, updated {run.updated_count}, "
            f"unchanged {run.unchanged_count}, rejected {run.rejected_count}, closed {run.closed_count}"
        )
        for item in run.rejected[:50]:
            self.summary(f"  rejected line {item['line']}: {item['reason']}")
        if run.rejected_count > 50:
            self.summary(f"  … and {run.rejected_count - 50} more (see the import report)")
        processed = run.created_count + run.updated_count + run.unchanged_count + run.closed_count
        if processed == 0:
            raise CommandError("nothing could be imported")

    def export_clusters(self, *, out, **_):
        from offers.selectors import iter_clusters

        handle = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")  # noqa: SIM115
        count, clusters = 0, set()
        try:
            for source, source_id, cluster in iter_clusters():
                handle.write(
                    json.dumps({"source": source, "source_id": source_id, "cluster": cluster}) + "\n"
                )
                count += 1
                clusters.add(cluster)
        finally:
            if handle is not sys.stdout:
                handle.close()
            else:
                handle.flush()
        self.summary(f"exported {count} publications in {len(clusters)} clusters", data_on_stdout=out == "-")
        if count == 0:
            raise CommandError("no publication to export")

    def classify(self, *, input, out, candidates, **_):
        from offers.classify import classify_lines

        source = sys.stdin if input == "-" else open(input, encoding="utf-8")  # noqa: SIM115
        handle = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")  # noqa: SIM115
        read, rejected = 0, []
        try:
            for result in classify_lines(source, candidates=max(candidates, 5)):
                read += 1
                if result.get("error"):
                    rejected.append(result)
                handle.write(json.dumps(result, ensure_ascii=False) + "\n")
        finally:
            for stream in (source, handle):
                if stream not in (sys.stdin, sys.stdout):
                    stream.close()
            sys.stdout.flush()
        on_stdout = out == "-"
        self.summary(
            f"read {read}, classified {read - len(rejected)}, rejected {len(rejected)}",
            data_on_stdout=on_stdout,
        )
        for item in rejected[:50]:
            self.summary(f"  rejected line {item['line']}: {item['error']}", data_on_stdout=on_stdout)
        if read == len(rejected):
            raise CommandError("no offer could be classified")

    def fetch_francetravail(self, *, source, departements, days, snapshot, **_):
        from datetime import timedelta

        from django.utils import timezone

        from offers import services
        from offers.connectors import francetravail, francetravail_api

        try:
            client = francetravail_api.FranceTravailClient()
        except francetravail_api.ApiError as exc:
            raise CommandError(str(exc)) from exc
        source_obj = services.get_or_create_source(
            name=source, kind="francetravail_api", label="France Travail", url="https://www.francetravail.fr"
        )
        until = timezone.now().replace(microsecond=0)
        raw = francetravail_api.fetch_offers(
            client,
            departements=tuple(departements.split(",")),
            since=until - timedelta(days=days),
            until=until,
        )
        seen: set[str] = set()

        def records():
            for line, offer in enumerate(raw, start=1):
                seen.add(str(offer.get("id")))
                yield francetravail.from_record(offer, source=source, line=line)

        run = services.import_records(source=source_obj, records=records(), file_name="API France Travail")
        if snapshot and not client.report.failures:  # a snapshot is only safe when every page came back
            run.closed_count = services.close_missing(source=source_obj, seen_ids=seen)
            run.save(update_fields=["closed_count"])
        if client.report.failures:  # what was fetched is kept; the report says what is missing
            failures = client.report.failures
            run.message = " ".join(
                filter(
                    None,
                    [
                        run.message,
                        f"{len(failures)} partie(s) de la recherche non récupérée(s) après nouvelles tentatives"
                        f"{' (instantané non appliqué)' if snapshot else ''} :",
                        *(failure.describe() + "." for failure in failures),
                    ],
                )
            )
            if run.status == run.Status.SUCCEEDED:
                run.status = run.Status.PARTIAL
            run.save(update_fields=["message", "status"])
        for line in client.report.lines():
            self.summary(line)
        self.summary(
            f"{source}: read {run.read_count}, created {run.created_count}, updated {run.updated_count}, "
            f"unchanged {run.unchanged_count}, rejected {run.rejected_count}, closed {run.closed_count}"
        )
        if run.read_count == 0 and client.report.failures:
            raise CommandError("nothing could be fetched")

    def rebuild_clusters(self, **_):
        from offers.services import rebuild_clusters

        counts = rebuild_clusters()
        self.summary(
            f"{counts['publications']} open publications in {counts['clusters']} clusters ({counts['moved']} moved)"
        )

    def close_expired(self, **_):
        from offers.services import close_expired

        closed = close_expired()
        self.summary(f"closed {closed} expired publications")

    def train_model(self, *, output, **_):
        from django.conf import settings

        from offers import coding
        from offers.selectors import advisor_examples

        path = output or coding.default_model_path()
        try:
            examples = advisor_examples()  # the advisors' choices of the review list
        except Exception:  # no database: train on the referential and the reference offers only
            examples = []
        coder = coding.train_and_save(path, settings.DATA_DIR, extra_examples=examples)
        coding.reset_coder()
        self.summary(
            f"ROME model written to {path} ({len(examples)} advisor choices; threshold {coder.threshold:.2f})"
        )
