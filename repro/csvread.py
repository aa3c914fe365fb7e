"""Strict CSV reading shared by the datasets and the raw-data parsers.

Every problem is raised as :class:`~repro.errors.ReproError` naming file, row and column:
a missing or binary file, a wrong delimiter, missing or unknown columns, ragged rows.
Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import stat
import sys
from pathlib import Path

from repro import limits
from repro.errors import ReproError

MAX_BYTES = limits.MAX_INPUT_BYTES
CHUNK = 1 << 20
STDIN = "-"


def _read_bounded(handle, name: str) -> bytes:
    """At most MAX_BYTES bytes from ``handle``, refusing NUL bytes as soon as a chunk shows one.

    The cap counts bytes read, not the size the file system reports: a device, a FIFO or a
    /proc file reports 0 and would otherwise be read without limit.
    """
    chunks, total = [], 0
    while True:
        chunk = handle.read(min(CHUNK, MAX_BYTES + 1 - total))
        if not chunk:
            break
        if b"\x00" in chunk:
            raise ReproError("binary file (NUL bytes), expected CSV text", file=name)
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_BYTES:
            raise ReproError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB "
                             "(MAX_INPUT_BYTES in repro/limits.py)", file=name)
    return b"".join(chunks)


def read_text(path: str | Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is accepted and dropped).

    ``-`` reads standard input. A FIFO or a device is read like a file, up to the same cap.
    """
    name = str(path)
    if name == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise ReproError("standard input is closed", file="-")
        data = _read_bounded(stream, "-")
    else:
        path = Path(path)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise ReproError("file not found", file=name) from None
        except OSError as exc:
            raise ReproError(f"cannot read: {exc.strerror}", file=name) from None
        if stat.S_ISDIR(mode):
            raise ReproError("is a folder, not a file", file=name)
        if stat.S_ISREG(mode) and path.stat().st_size > MAX_BYTES:
            raise ReproError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB "
                             "(MAX_INPUT_BYTES in repro/limits.py)", file=name)
        try:
            with open(path, "rb") as handle:
                data = _read_bounded(handle, name)
        except OSError as exc:
            raise ReproError(f"cannot read: {exc.strerror}", file=name) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReproError(f"not UTF-8 text (byte {exc.start})", file=name) from None


DELIMITERS = (",", ";", "\t")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: the one of ``,`` ``;`` tab that occurs most outside quotes (ties: comma).

    ru/kk spreadsheet programs save ``;``-separated files with decimal commas; every reader
    accepts them, and the number reader takes ``0,5`` as 0.5.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_rows(path: str | Path, required: list[str], optional: list[str] | None = None,
              allow_extra: bool = False, delimiter: str = "auto"):
    """(header, rows): the checked header and an iterator of (row number, cells), streamed.

    The rows are parsed as they are consumed (no list of every row, no dict per row), so a
    reader of millions of rows keeps only what it extracts. Blank rows are skipped; a ragged
    row is refused naming its number. See :func:`read_records` for the header checks.
    """
    name = str(path)
    text = read_text(path)
    if delimiter == "auto":
        delimiter = sniff_delimiter(text.lstrip("\r\n").split("\n", 1)[0])
    if not text.strip():
        raise ReproError("empty file, expected a header row", file=name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        first = next(reader)
    except csv.Error as exc:
        raise ReproError(f"malformed CSV: {exc}", file=name, row=reader.line_num) from None
    header = [h.strip() for h in first]
    known = list(required) + list(optional or [])
    if len(header) == 1 and required and len(required) > 1 and "|" in header[0]:
        raise ReproError("wrong delimiter: columns must be separated by commas, semicolons or tabs", file=name, row=1)
    for column in header:
        if column == "":
            raise ReproError("empty column name in the header", file=name, row=1)
        if not allow_extra and column not in known:
            raise ReproError(f"unknown column {column!r}; expected {', '.join(known)}", file=name, row=1,
                             column=column)
    if len(set(header)) != len(header):
        dup = next(c for c in header if header.count(c) > 1)
        raise ReproError("duplicated column", file=name, row=1, column=dup)
    for column in required:
        if column not in header:
            raise ReproError(f"missing column {column!r}", file=name, row=1, column=column)

    def rows():
        number = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ReproError(f"malformed CSV: {exc}", file=name, row=reader.line_num) from None
            number += 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ReproError(f"{len(row)} fields where the header has {len(header)}", file=name, row=number)
            yield number, row

    return header, rows()


def read_records(path: str | Path, required: list[str], optional: list[str] | None = None,
                 allow_extra: bool = False, delimiter: str = "auto") -> list[dict[str, str]]:
    """Rows of a CSV file as dicts keyed by the header, after checking the header.

    ``required`` columns must all be present; columns outside ``required``+``optional``
    are refused unless ``allow_extra``. Empty lines are skipped. ``delimiter="auto"`` (the
    default, in every reader) accepts ``;``- and tab-separated files too (:func:`sniff_delimiter`).
    """
    name = str(path)
    header, rows = read_rows(path, required, optional, allow_extra, delimiter)
    records = []
    for number, row in rows:
        record = dict(zip(header, row))
        record["__row__"] = str(number)
        records.append(record)
    if not records:
        raise ReproError("no data rows after the header", file=name)
    return records
