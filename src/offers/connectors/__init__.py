"""Connectors: one module per source format, each `parse(path_or_stream, *, source=..., mapping=None)` yielding
`CanonicalOffer` or `RejectedRecord` in file order. Pure functions of the input (no database)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from core.sync import SourceError

Input = str | Path | IO[bytes] | IO[str]


@contextmanager
def open_binary(path_or_stream: Input) -> Iterator[tuple[IO[bytes], str]]:
    """The input as a binary stream, and a name for messages."""
    if isinstance(path_or_stream, str | Path):
        path = Path(path_or_stream)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError as exc:
            raise SourceError("file not found", path=path) from exc
        with handle:
            yield handle, str(path)
        return
    stream = path_or_stream
    name = str(getattr(stream, "name", "<stream>"))
    if isinstance(stream, io.TextIOBase):
        stream = getattr(stream, "buffer", None) or io.BytesIO(stream.read().encode("utf-8"))
    yield stream, name


def peek(stream: IO[bytes], size: int) -> tuple[bytes, IO[bytes]]:
    """The first `size` bytes of a binary stream without consuming them, and the stream to read from then: the
    same one when it can peek (buffered files) or seek back (BytesIO), else one that starts with those bytes."""
    if hasattr(stream, "peek"):
        return stream.peek(size)[:size], stream
    if stream.seekable():
        start = stream.tell()
        head = stream.read(size)
        stream.seek(start)
        return head, stream
    head = stream.read(size)
    return head, io.BufferedReader(_Prefixed(head, stream))


class _Prefixed(io.RawIOBase):
    """`head` followed by the rest of `stream` (a stream that can neither peek nor seek, e.g. a pipe)."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self._head, self._stream = memoryview(head), stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def iter_json_records(
    stream: IO[bytes], *, name: str, list_keys: tuple[str, ...] = ()
) -> Iterator[tuple[int, Any]]:
    """(line, record) from a JSON array, a JSON object wrapping a list under one of `list_keys`, a single JSON
    object, or JSON Lines (streamed, so a million-line file is never held in memory). Line is the index + 1 in
    an array, the line number in JSON Lines.

    A JSON Lines line that does not parse yields (line, JSONDecodeError) so the caller rejects it and goes on.
    """
    first_line = stream.readline()
    number = 1
    while first_line and not first_line.strip():
        first_line, number = stream.readline(), number + 1
    if not first_line:
        return
    first_line = first_line.removeprefix(b"\xef\xbb\xbf")
    try:
        first = json.loads(first_line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        first = None
    if isinstance(first, dict) and not any(key in first for key in list_keys):
        yield number, first
        for number, line in enumerate(stream, start=number + 1):  # noqa: B020
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield number, exc
        return
    try:
        text = (first_line + stream.read()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not valid UTF-8 text ({exc.reason}, byte {exc.start})", path=name) from exc
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"invalid JSON: {exc.msg} (line {exc.lineno + number - 1}, column {exc.colno})", path=name
        ) from exc
    if isinstance(whole, dict):
        for key in list_keys:
            if isinstance(whole.get(key), list):
                yield from enumerate(whole[key], start=1)
                return
        yield 1, whole
        return
    if isinstance(whole, list):
        yield from enumerate(whole, start=1)
        return
    raise SourceError("expected a JSON array, object or JSON Lines", path=name)


def connector(format_name: str):
    """The parse function of a format name: francetravail, jobposting or csv."""
    from offers.connectors import csv as csv_connector
    from offers.connectors import francetravail, jobposting

    parsers = {
        "francetravail": francetravail.parse,
        "jobposting": jobposting.parse,
        "csv": csv_connector.parse,
    }
    try:
        return parsers[format_name]
    except KeyError as exc:
        raise ValueError(f"unknown format {format_name!r}; expected one of {', '.join(parsers)}") from exc


FORMATS = ("francetravail", "jobposting", "csv")
