"""Strict CSV reading shared by the datasets and the raw-data parsers.

Every problem is raised as :class:`~repro.errors.ReproError` naming file, row and column:
a missing or binary file, a wrong delimiter, missing or unknown columns, ragged rows.
Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from repro.errors import ReproError

MAX_BYTES = 50 * 1024 * 1024


def read_text(path: str | Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is accepted and dropped)."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise ReproError("file not found", file=name)
    if path.is_dir():
        raise ReproError("is a folder, not a file", file=name)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ReproError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", file=name)
    data = path.read_bytes()
    if b"\x00" in data:
        raise ReproError("binary file (NUL bytes), expected CSV text", file=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReproError(f"not UTF-8 text (byte {exc.start})", file=name) from None


def sniff_delimiter(text: str) -> str:
    """``;`` when the header line separates by semicolons and has no comma outside quotes, else ``,``.

    Spreadsheet programs in kk/ru locales save CSV with ``;`` (the decimal separator being ``,``).
    """
    header = next(iter(text.splitlines()), "")
    bare = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    return ";" if ";" in bare and "," not in bare else ","


def read_records(path: str | Path, required: list[str], optional: list[str] | None = None,
                 allow_extra: bool = False, delimiter: str = ",") -> list[dict[str, str]]:
    """Rows of a CSV file as dicts keyed by the header, after checking the header.

    ``required`` columns must all be present; columns outside ``required``+``optional``
    are refused unless ``allow_extra``. Empty lines are skipped. ``delimiter="auto"`` accepts
    ``;``-separated files too (:func:`sniff_delimiter`).
    """
    name = str(path)
    text = read_text(path)
    if delimiter == "auto":
        delimiter = sniff_delimiter(text)
    if not text.strip():
        raise ReproError("empty file, expected a header row", file=name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ReproError(f"malformed CSV: {exc}", file=name, row=reader.line_num) from None
    header = [h.strip() for h in rows[0]]
    known = list(required) + list(optional or [])
    if len(header) == 1 and required and len(required) > 1 and any(d in header[0] for d in ";\t|"):
        raise ReproError("wrong delimiter: columns must be separated by commas", file=name, row=1)
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
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ReproError(f"{len(row)} fields where the header has {len(header)}", file=name, row=number)
        record = dict(zip(header, row))
        record["__row__"] = str(number)
        records.append(record)
    if not records:
        raise ReproError("no data rows after the header", file=name)
    return records
