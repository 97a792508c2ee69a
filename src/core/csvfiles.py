"""Reading CSV files line by line with a bound on line length (setting CSV_MAX_LINE_BYTES, default 1 MiB).

An operator's export with a runaway line (a missing closing quote, a binary file under a .csv name, an attack)
must neither exhaust memory nor stop the import: each physical line is read with `readline(limit + 1)`, so a
longer line is never held whole; it is skipped to its end in small chunks, reported with its number, and
reading goes on with the next line. `csv.field_size_limit` is set to the same bound (a quoted field may span
lines; one larger than a line could be is refused by the csv module).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from core.sync import SourceError

_SKIP_CHUNK = 64 * 1024


def max_line_bytes() -> int:
    return int(getattr(settings, "CSV_MAX_LINE_BYTES", 1024 * 1024))


def apply_field_size_limit() -> None:
    csv.field_size_limit(max_line_bytes())


class LimitedLines(Iterator[str]):
    """The decoded lines of a binary stream for `csv.reader`, each at most `limit` bytes (its line break
    included). An over-long line is replaced by an empty line (which the csv readers skip), so line numbers stay
    true, and its number goes to `too_long` for the caller to report in order.

    `encodings`: tried in turn on a line that does not decode; the first that works is kept for the rest of the
    file (UTF-8, then Windows-1252 for the offers exports). A line no encoding decodes is a SourceError.
    """

    def __init__(
        self, stream: BinaryIO, *, path: Path | str, encodings: tuple[str, ...], limit: int | None = None
    ):
        self.stream, self.path, self.encodings = stream, path, list(encodings)
        self.limit = limit or max_line_bytes()
        self.line = 0
        self.too_long: list[int] = []

    @property
    def encoding(self) -> str:
        return self.encodings[0]

    def __next__(self) -> str:
        data = self.stream.readline(self.limit + 1)
        if not data:
            raise StopIteration
        self.line += 1
        if len(data) > self.limit:
            while not data.endswith(b"\n"):
                data = self.stream.readline(_SKIP_CHUNK)
                if not data:
                    break
            self.too_long.append(self.line)
            return "\n"
        if self.line == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]  # a UTF-8 byte order mark
        while True:
            try:
                return data.decode(self.encodings[0])
            except UnicodeDecodeError as exc:
                if len(self.encodings) == 1:
                    raise SourceError(
                        f"not valid {self.encodings[0]} text ({exc.reason})", path=self.path, line=self.line
                    ) from exc
                self.encodings.pop(0)

    def too_long_error(self, line: int) -> SourceError:
        return SourceError(
            f"line longer than {self.limit} bytes (CSV_MAX_LINE_BYTES): skipped", path=self.path, line=line
        )

    def take_too_long(self) -> list[int]:
        """The over-long lines met since the last call."""
        found, self.too_long = self.too_long, []
        return found
