"""Reading a reviewer's CSV of reported results for ``repro audit``.

Kendall/Friedman form: ``label`` and any of ``m``, ``k``, ``W``, ``chi2``, ``df``, ``p``
(``<0.001`` allowed), ``mean_ranks`` (``;``-separated) or ``mean_rank_1``…, ``mark``.
Shares form: ``label``, ``share`` and optionally ``N``. Decimal commas are accepted;
precision is taken from the digits as printed.
"""

from __future__ import annotations

from repro.audit import ReportedTest
from repro.csvread import read_records
from repro.errors import ReproError
from repro.printed import Printed, parse_printed

TEST_FIELDS = ["m", "k", "W", "chi2", "df", "p", "mean_ranks", "mark"]


def _printed(rec: dict, column: str, file: str) -> Printed | None:
    text = rec.get(column, "")
    if text is None or not text.strip():
        return None
    printed = parse_printed(text)
    if not printed.is_number:
        raise ReproError(f"not a number: {text!r}", file=file, row=int(rec["__row__"]), column=column)
    return printed


def read_reported(path: str):
    """('tests', [ReportedTest]) or ('shares', [(label, Printed, N or None)]) from the CSV's header."""
    name = str(path)
    records = read_records(path, ["label"], allow_extra=True)
    header = [k for k in records[0] if k != "__row__"]
    if "share" in header:
        unknown = [h for h in header if h not in ("label", "share", "N")]
        if unknown:
            raise ReproError(f"unknown column {unknown[0]!r} in a shares file", file=name, row=1, column=unknown[0])
        out = []
        for rec in records:
            share = _printed(rec, "share", name)
            if share is None:
                raise ReproError("empty share", file=name, row=int(rec["__row__"]), column="share")
            if not 0 <= float(share.value) <= 1:
                raise ReproError("a share must lie between 0 and 1", file=name, row=int(rec["__row__"]),
                                 column="share")
            n = _printed(rec, "N", name)
            out.append((rec["label"], share, int(n.value) if n else None))
        return "shares", out
    known = set(["label"] + TEST_FIELDS)
    for h in header:
        if h not in known and not h.startswith("mean_rank_"):
            raise ReproError(f"unknown column {h!r}", file=name, row=1, column=h)
    tests = []
    for rec in records:
        row = int(rec["__row__"])
        ranks = []
        if rec.get("mean_ranks", "").strip():
            for part in rec["mean_ranks"].split(";"):
                pr = parse_printed(part)
                if not pr.is_number:
                    raise ReproError(f"not a number: {part!r}", file=name, row=row, column="mean_ranks")
                ranks.append(pr)
        else:
            j = 1
            while f"mean_rank_{j}" in rec:
                pr = _printed(rec, f"mean_rank_{j}", name)
                if pr is not None:
                    ranks.append(pr)
                j += 1
        p = _printed(rec, "p", name)
        if p is not None and not 0 <= float(p.value) <= 1:
            raise ReproError("p must lie between 0 and 1", file=name, row=row, column="p")
        W = _printed(rec, "W", name)
        if W is not None and not 0 <= float(W.value) <= 1:
            raise ReproError("W must lie between 0 and 1", file=name, row=row, column="W")
        mark = rec.get("mark", "").strip() or (p.marks if p else "")
        for column in ("m", "k", "df"):
            value = _printed(rec, column, name)
            if value is not None and (value.value.denominator != 1 or value.value < 1 or value.value > 10_000):
                raise ReproError(f"{column} must be a whole number from 1 to 10000", file=name, row=row,
                                 column=column)
        tests.append(ReportedTest(label=rec["label"], m=_printed(rec, "m", name), k=_printed(rec, "k", name), W=W,
                                  chi2=_printed(rec, "chi2", name), df=_printed(rec, "df", name), p=p,
                                  mean_ranks=ranks, mark=mark, source_row=row))
    return "tests", tests
