"""Reading a reviewer's CSV of reported results for ``repro audit``.

Kendall/Friedman form: ``label`` and any of ``m``, ``k``, ``W``, ``chi2``, ``df``, ``p``,
``mean_ranks`` (``;``-separated) or ``mean_rank_1``…, ``rank_sums`` or ``rank_sum_1``…
(the rank sums Russian and Ukrainian textbooks print), ``mark`` and ``ties`` (``no``/``strict``
declares strict rankings). Shares form: ``label``, ``share`` and optionally ``N``. Columns
named ``note…``, ``source…`` or ``comment…`` are carried along and not read.

Numbers are read as papers print them: a decimal comma or point, ``.022``, ``2.99e-05``,
``< 2.2e-16``, ``p = .022``, ``χ2(3) = 12.5`` (the df in brackets is read too), ``n = 20``,
``n.s.``, ``.000``; ``NA``, ``—`` and empty cells are "not printed". The file may be separated
by commas or by semicolons (the default of spreadsheet programs in kk/ru locales). Precision is
taken from the digits as printed.

The header is checked once (unknown or duplicated columns are refused: exit 2). A value that
cannot be read, or that no data could give (W = 1.1068, N = 2.5, k = 1), is never a refused
file: it is recorded on its row and becomes that row's verdict (:mod:`repro.audit`).
"""

from __future__ import annotations

import re

from repro.audit import ReportedShare, ReportedTest
from repro.csvread import read_records
from repro.errors import ReproError
from repro.printed import Printed, parse_printed

TEST_FIELDS = ["m", "k", "W", "chi2", "df", "p", "mean_ranks", "rank_sums", "mark", "ties"]
NUMBERED = {"mean_ranks": "mean_rank_", "rank_sums": "rank_sum_"}
ABSENT = {"", "na", "n/a", "nan", "—", "–", "-", ".", "none", "null"}
NOT_SIGNIFICANT = {"ns", "n.s.", "n.s", "ns.", "n. s.", "н.з.", "нз", "незначимо", "not significant"}
STRICT_WORDS = {"no", "none", "strict", "0", "false", "нет", "жоқ", "without"}
TIES_WORDS = {"yes", "1", "true", "да", "иә", "allowed", "with"}
# a label printed before the number: "p = .022", "χ2(3) = 12.5", "n = 20", "W=0,31"
_PREFIX = re.compile(r"^\s*(?:p-value|p\.value|p|wt|w|n|m|k|df|chisq|chi2|chi\^2|chi-square|chi-squared|χ2|χ²|x2|χ\^2)\s*"
                     r"(?:\(\s*(?P<df>\d+)\s*(?:,\s*n\s*=\s*[\d\s]+)?\))?\s*(?=[=<>≤≥])", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f,]\d{3})+$")
_IGNORED = ("note", "source", "comment")
# beyond these a printed value is recorded as too large to check (never a refused file, never a verdict)
MAX_MAGNITUDE = 10 ** 300
MAX_COUNT = {"m": 10 ** 9, "k": 10 ** 5, "df": 10 ** 5, "N": 10 ** 15}


class TooLarge(Exception):
    """A printed number beyond what the checks can take (1e999; m = 10^12)."""


class Unreadable(Exception):
    """A printed value that is not a number as papers print them."""


def read_cell(text: str | None, column: str, count: bool = False) -> tuple[Printed | None, dict]:
    """One printed value: (Printed or None when not printed, extras such as a bracketed df).

    Raises :class:`Unreadable` for text that is not a number. ``count`` reads ``1 000`` and
    ``1,000`` as thousands (m, k, df, N are whole numbers).
    """
    raw = "" if text is None else str(text)
    stripped = raw.strip()
    extras: dict = {}
    if stripped.lower() in ABSENT:
        return None, extras
    if column == "p" and stripped.lower() in NOT_SIGNIFICANT:
        extras["not_significant"] = True
        return Printed(text=raw, value=parse_printed("0.05").value, decimals=2, comparator=">"), extras
    match = _PREFIX.match(stripped)
    if match:
        if match.group("df"):
            extras["df"] = parse_printed(match.group("df"))
        stripped = stripped[match.end():].strip()
        if stripped.startswith("="):
            stripped = stripped[1:].strip()
    if count and _THOUSANDS.match(stripped):
        stripped = re.sub(r"[ \u00a0\u202f,]", "", stripped)
    printed = parse_printed(stripped)
    if not printed.is_number:
        raise Unreadable(raw)
    size = abs(printed.number)
    if size > MAX_MAGNITUDE or printed.decimals > 300 or size > MAX_COUNT.get(column, size):
        raise TooLarge(raw)
    return Printed(text=raw, value=printed.value, decimals=printed.decimals, comparator=printed.comparator,
                   marks=printed.marks, oddities=printed.oddities), extras


def _numbered_columns(header: list[str], prefix: str, whole: str, name: str) -> list[str]:
    numbered = [h for h in header if h.startswith(prefix)]
    if not numbered:
        return []
    if whole in header:
        raise ReproError(f"give the values either in {whole!r} or in {prefix}1, {prefix}2, …, not both",
                         file=name, row=1, column=numbered[0])
    indices = []
    for h in numbered:
        suffix = h[len(prefix):]
        if not suffix.isdigit() or int(suffix) < 1:
            raise ReproError(f"unknown column {h!r}", file=name, row=1, column=h)
        indices.append(int(suffix))
    expected = list(range(1, len(indices) + 1))
    if sorted(indices) != expected:
        gap = next(j for j in expected if j not in indices)
        raise ReproError(f"{prefix}N columns must be numbered 1, 2, … without a gap: {prefix}{gap} is missing",
                         file=name, row=1, column=f"{prefix}{max(indices)}")
    return [f"{prefix}{j}" for j in expected]


def _read_list(rec: dict, whole: str, numbered: list[str], test: ReportedTest) -> list[Printed]:
    """Mean ranks or rank sums of one row; an unreadable part makes the whole list one unreadable cell."""
    if whole in rec:
        text = rec[whole].strip()
        parts = [part for part in re.split(r"[;|]", text)] if text else []
        columns = [whole] * len(parts)
    else:
        parts = [rec[c] for c in numbered]
        while parts and not parts[-1].strip():  # rows with fewer items leave the last columns empty
            parts.pop()
        columns = numbered[:len(parts)]
    values = []
    for part, column in zip(parts, columns):
        try:
            value, _ = read_cell(part, column)
        except (Unreadable, TooLarge):
            test.unreadable[whole] = part
            return []
        if value is None:
            test.unreadable[whole] = f"{column}: {part.strip() or '∅'} (a value is missing inside the list)"
            return []
        values.append(value)
    return values


def read_reported(path: str):
    """('tests', [ReportedTest]) or ('shares', [ReportedShare]) from the CSV's header."""
    name = str(path)
    records = read_records(path, ["label"], allow_extra=True, delimiter="auto")
    header = [k for k in records[0] if k != "__row__"]
    if "share" in header:
        return "shares", _read_shares(records, header, name)
    numbered = {whole: _numbered_columns(header, prefix, whole, name) for whole, prefix in NUMBERED.items()}
    known = set(["label"] + TEST_FIELDS) | {c for cols in numbered.values() for c in cols}
    for h in header:
        if h not in known and not h.lower().startswith(_IGNORED):
            raise ReproError(f"unknown column {h!r}", file=name, row=1, column=h)
    tests = []
    for rec in records:
        tests.append(_read_test(rec, numbered))
    return "tests", tests


def _read_test(rec: dict, numbered: dict[str, list[str]]) -> ReportedTest:
    test = ReportedTest(label=rec["label"], source_row=int(rec["__row__"]))
    for column in ("m", "k", "W", "chi2", "df", "p"):
        if column not in rec:
            continue
        try:
            value, extras = read_cell(rec[column], column, count=column in ("m", "k", "df"))
        except Unreadable:
            test.unreadable[column] = rec[column]
            continue
        except TooLarge:
            test.too_large[column] = rec[column]
            continue
        setattr(test, column, value)
        if extras.get("not_significant"):
            test.mark = test.mark or "n.s."
        if "df" in extras:
            test.df_in_chi2 = extras["df"]
    for whole, cols in numbered.items():
        setattr(test, whole, _read_list(rec, whole, cols, test))
    mark = rec.get("mark", "").strip()
    if mark.lower() in ABSENT:
        mark = ""
    test.mark = mark or test.mark or (test.p.marks if test.p else "")
    ties = rec.get("ties", "").strip().lower()
    if ties in STRICT_WORDS:
        test.strict = True
    elif ties in TIES_WORDS:
        test.strict = False
    elif ties and ties not in ABSENT:
        test.unreadable["ties"] = rec["ties"]
    return test


def _read_shares(records: list[dict], header: list[str], name: str) -> list[ReportedShare]:
    unknown = [h for h in header if h not in ("label", "share", "N") and not h.lower().startswith(_IGNORED)]
    if unknown:
        raise ReproError(f"unknown column {unknown[0]!r} in a shares file", file=name, row=1, column=unknown[0])
    out = []
    for rec in records:
        row = ReportedShare(label=rec["label"], share=None, n=None, source_row=int(rec["__row__"]))
        for column, attr in (("share", "share"), ("N", "n")):
            try:
                value, _ = read_cell(rec.get(column), column, count=column == "N")
            except (Unreadable, TooLarge):
                row.unreadable[column] = rec[column]
                continue
            setattr(row, attr, value)
        if row.share is None and "share" not in row.unreadable:
            row.unreadable["share"] = ""
        out.append(row)
    return out
