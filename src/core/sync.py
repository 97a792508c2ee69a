"""Diff-based synchronisation of reference tables from files (the `sync_*` commands).

A source module turns files into rows keyed by their natural key; `upsert` compares them with what the
database holds and writes only the difference. Commands run inside one transaction and roll it back unless
asked to write, so a dry run reports exactly what a real run would do and a failure leaves nothing half-done.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction


class SourceError(Exception):
    """A malformed input, located precisely: file, line (1-based, header is line 1) and field."""

    def __init__(self, message: str, *, path: Path | str, line: int | None = None, field: str | None = None):
        self.message, self.path, self.line, self.field = message, str(path), line, field
        where = self.path + (f":{line}" if line is not None else "") + (f" [{field}]" if field else "")
        super().__init__(f"{where}: {message}")


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class SyncReport:
    counts: dict[str, ModelCounts] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def for_model(self, label: str) -> ModelCounts:
        return self.counts.setdefault(label, ModelCounts())

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.counts.values())

    def lines(self) -> list[str]:
        out = [
            f"{label}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            + (f", {c.deleted} deleted" if c.deleted else "")
            for label, c in self.counts.items()
        ]
        out += [f"note: {n}" for n in self.notes]
        out += [f"rejected: {r}" for r in self.rejected]
        if not self.changed:
            out.append("Nothing to change: the database already matches the files.")
        return out


def read_csv(
    path: Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
    required: Iterable[str] = (),
    tolerant: bool = False,
):
    """Yield (line_number, row) from a CSV file, checking the header names the required columns.

    A row with more or fewer values than the header, or a line longer than CSV_MAX_LINE_BYTES (never read
    whole, see core.csvfiles), is an error; with `tolerant` (batch imports, where one bad record must not stop
    the others) it is yielded as (line_number, SourceError) instead and reading goes on."""
    from core.csvfiles import LimitedLines, apply_field_size_limit

    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError as exc:
        raise SourceError("file not found", path=path) from exc
    apply_field_size_limit()
    with handle:
        lines = LimitedLines(handle, path=path, encodings=(encoding,))
        reader = csv.DictReader(lines, delimiter=delimiter)
        try:
            header = reader.fieldnames or []
            if lines.take_too_long():
                raise SourceError("the header line is too long to be a header", path=path, line=1)
            missing = [name for name in required if name not in header]
            if missing:
                raise SourceError(
                    f"missing column(s) {', '.join(missing)}; header is {header}", path=path, line=1
                )
            for row in reader:
                for line in lines.take_too_long():
                    if not tolerant:
                        raise lines.too_long_error(line)
                    yield line, lines.too_long_error(line)
                count = (
                    len(header) + len(row[None]) if None in row else sum(v is not None for v in row.values())
                )
                if count != len(header):
                    error = SourceError(
                        f"{count} values for {len(header)} columns", path=path, line=reader.line_num
                    )
                    if not tolerant:
                        raise error
                    yield reader.line_num, error
                    continue
                yield reader.line_num, row
            for line in lines.take_too_long():  # over-long lines at the end of the file
                if not tolerant:
                    raise lines.too_long_error(line)
                yield line, lines.too_long_error(line)
        except csv.Error as exc:
            raise SourceError(str(exc), path=path, line=reader.line_num) from exc


def read_text(path: Path, encoding: str = "utf-8") -> io.StringIO:
    try:
        return io.StringIO(path.read_text(encoding=encoding))
    except FileNotFoundError as exc:
        raise SourceError("file not found", path=path) from exc


def upsert(
    model: type[models.Model],
    rows: dict,
    *,
    report: SyncReport,
    key: str = "pk",
    delete_missing: bool = False,
    batch_size: int = 2000,
) -> dict:
    """Make `model`'s table hold exactly `rows` ({natural key: {field: value}}), writing only the difference.

    Field values are compared as stored (foreign keys by their `<name>_id` attribute). Returns
    {natural key: pk} for every row, so callers can link children without another query.
    """
    label = model._meta.verbose_name_plural
    counts = report.for_model(str(label))
    attnames = {name for values in rows.values() for name in values}
    key_field = key if key != "pk" else model._meta.pk.attname
    if delete_missing:
        existing = {getattr(obj, key_field): obj for obj in model.objects.all()}
    else:
        # Only the rows being synced: a small sync into a big table stays small.
        existing = {}
        for keys in chunked(list(rows), 5000):
            existing.update(
                (getattr(obj, key_field), obj) for obj in model.objects.filter(**{f"{key_field}__in": keys})
            )
    to_create, to_update, changed_fields = [], [], set()
    for natural_key, values in rows.items():
        obj = existing.get(natural_key)
        if obj is None:
            to_create.append(model(**{key_field: natural_key, **values}))
            continue
        diff = [name for name, value in values.items() if getattr(obj, name) != value]
        if diff:
            for name in diff:
                setattr(obj, name, values[name])
            changed_fields.update(diff)
            to_update.append(obj)
        else:
            counts.unchanged += 1
    if to_create:
        model.objects.bulk_create(to_create, batch_size=batch_size)
        counts.created += len(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields & attnames), batch_size=batch_size)
        counts.updated += len(to_update)
    if delete_missing:
        stale = [obj.pk for natural_key, obj in existing.items() if natural_key not in rows]
        for start in range(0, len(stale), batch_size):
            model.objects.filter(pk__in=stale[start : start + batch_size]).delete()
        counts.deleted += len(stale)
    if key == "pk":
        return {k: k for k in rows}
    return dict(model.objects.values_list(key, "pk"))


def sync_links(
    model: type[models.Model],
    links: set[tuple],
    *,
    fields: tuple[str, str],
    extra: dict[tuple, dict] | None = None,
    report: SyncReport,
    batch_size: int = 5000,
) -> None:
    """Make a link table (two foreign keys, optional extra values) hold exactly `links`."""
    counts = report.for_model(str(model._meta.verbose_name_plural))
    extra = extra or {}
    extra_names = sorted({name for values in extra.values() for name in values})
    existing = {
        (row[0], row[1]): (row[2], dict(zip(extra_names, row[3:], strict=True)))
        for row in model.objects.values_list(*fields, "pk", *extra_names).iterator(chunk_size=batch_size)
    }
    to_create, to_update = [], []
    for link in links:
        wanted = extra.get(link, {})
        if link not in existing:
            to_create.append(model(**{fields[0]: link[0], fields[1]: link[1]}, **wanted))
        elif wanted and wanted != existing[link][1]:
            to_update.append(
                model(pk=existing[link][0], **{fields[0]: link[0], fields[1]: link[1]}, **wanted)
            )
        else:
            counts.unchanged += 1
    stale = [pk for link, (pk, _values) in existing.items() if link not in links]
    model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, extra_names, batch_size=batch_size)
    for start in range(0, len(stale), batch_size):
        model.objects.filter(pk__in=stale[start : start + batch_size]).delete()
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.deleted += len(stale)


class DryRunRollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


def run_sync(sync, *, write: bool) -> SyncReport:
    """Run `sync(report)` in one transaction; keep its writes only when `write` is true."""
    report = SyncReport()
    try:
        with transaction.atomic():
            sync(report)
            if not write:
                raise DryRunRollback
    except DryRunRollback:
        report.notes.append("dry run: nothing was written (pass --write to apply)")
    return report


def chunked(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
