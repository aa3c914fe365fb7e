"""Judging what scan found through the audit engine of ``repro audit`` (:mod:`repro.audit`).

* a table of results is judged as ``repro tables`` judges paper 004's Tables 3 and 4: every row
  through :func:`repro.audit.audit_test` (marks used when the table prints any), the (m, k) most
  rows share by :func:`repro.audit.best_shared_mk`, the cells by :func:`repro.audit.test_cells`;
* prose results through :func:`repro.audit.reported_test_cells`, with the m and k printed in the
  same sentence; a W or p stated alone is *not checkable* (nothing in its statement to compute
  it from);
* shares through :func:`repro.audit.share_cells`, one denominator per column.

The m and k stated elsewhere (``context``) never change the verdict silently: each is a
reading, computed, and the cells whose status would flip under it are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from repro.audit import ReportedTest, audit_test, best_shared_mk, share_cells, test_cells
from repro.scan.extract import Extraction, Found, Source
from repro.verdict import Cell, Reason


@dataclass
class ScanTable:
    """One judged group of findings: cells with their sources and the readings computed."""

    id: str
    kind: str
    caption: str
    cells: list[Cell]
    sources: list[Source]
    labels: list[str]
    found: list[Found]
    readings: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _test_of(f: Found, label: str) -> ReportedTest:
    fig = f.figures
    ranks = [fig[f"mean_rank_{j}"] for j in range(1, 100) if f"mean_rank_{j}" in fig]
    p = fig.get("p")
    return ReportedTest(label=label, m=fig.get("m"), k=None if ranks else fig.get("k"), W=fig.get("W"),
                        chi2=fig.get("chi2"), df=fig.get("df"), p=p, mean_ranks=ranks,
                        mark=p.marks if p is not None else "", source_row=int(f.row) if f.row.isdigit() else None)


def _source_for(f: Found, column: str) -> Source:
    name = column.rsplit(" ", 1)[-1]
    if name.startswith("rank_"):
        name = "mean_" + name
    return f.sources.get(name) or next(iter(f.sources.values()))


def _reading_mk(f: Found, test: ReportedTest) -> tuple[int, int] | None:
    """The (m, k) the context states for a result that does not print them, if any."""
    ctx = f.context
    if test.m is not None and (test.k is not None or test.df is not None or test.mean_ranks):
        return None
    m = int(test.m.value) if test.m is not None else ctx.get("m", {}).get("value")
    if test.k is not None:
        k = int(test.k.value)
    elif test.df is not None:
        k = int(test.df.value) + 1
    elif test.mean_ranks:
        k = len(test.mean_ranks)
    else:
        k = ctx.get("k", {}).get("value")
    if m is None or k is None or m < 2 or k < 2:
        return None
    return m, k


def _readings(table_id: str, pairs: list[tuple[Found, ReportedTest, list[Cell]]], columns_of) -> list[dict[str, Any]]:
    """Each result re-judged at the m and k stated nearby; the cells whose status flips."""
    readings = []
    for f, test, cells in pairs:
        mk = _reading_mk(f, test)
        if mk is None or not test.W and not test.chi2:
            continue
        m, k = mk
        a = audit_test(test, m_range=range(m, m + 1), k_range=range(k, k + 1), reconstruct=False)
        here = {c.column: c.status for c in test_cells(a, table_id, cells[0].row if cells else f.row, mk,
                                                        columns_of(f))}
        flips = [{"row": c.row, "column": c.column, "status": c.status, "status_here": here[c.column]}
                 for c in cells if c.column in here and here[c.column] != c.status]
        readings.append({"key": "scan.reading.context_mk", "row": cells[0].row if cells else f.row,
                         "params": {"m": m, "k": k, "m_distance": f.context.get("m", {}).get("distance"),
                                    "k_distance": f.context.get("k", {}).get("distance"),
                                    "m_line": f.context.get("m", {}).get("source", {}).get("line"),
                                    "k_line": f.context.get("k", {}).get("source", {}).get("line")},
                         "holds": bool(a.feasible_mk), "flips": flips})
    return readings


def _judge_test_table(table: dict[str, Any], found: list[Found], reconstruct: bool = True) -> ScanTable:
    tid = table["id"]
    marks_used = any(f.figures["p"].marks for f in found if "p" in f.figures)
    tests = []
    for f in found:
        label = f"{f.label} / {f.column}" if f.column else f.label
        tests.append(_test_of(f, label))
    audits = [audit_test(t, marks_used=marks_used, reconstruct=reconstruct) for t in tests]
    mk, _ = best_shared_mk(audits)
    rank_columns = {f"mean_rank_{j}": f"rank_{j}" for j in range(1, 100)}

    def columns_of(f: Found) -> dict[str, str]:
        if f.column:
            return {name: f"{f.column} {name}" for name in ("W", "p", "chi2")}
        return rank_columns

    cells, sources, labels, pairs = [], [], [], []
    for f, a in zip(found, audits):
        own = test_cells(a, tid, f.row, mk, columns_of(f))
        pairs.append((f, a.test, own))
        for c in own:
            cells.append(c)
            sources.append(_source_for(f, c.column))
            labels.append(f.label)
    out = ScanTable(tid, "tests", table["caption"], cells, sources, labels, found)
    out.readings = _readings(tid, pairs, columns_of)
    out.extra = {"shared_mk": mk, "marks_used": marks_used}
    return out


def _judge_shares(table: dict[str, Any], found: list[Found]) -> ScanTable:
    tid = table["id"]
    shares = [f for f in found if f.kind == "share"]
    columns = list(dict.fromkeys(f.column for f in shares))
    cells, sources, labels = [], [], []
    feasible = {}
    for column in columns:
        members = [f for f in shares if f.column == column]
        rows = [(f.row, f.figures["share"], int(f.figures["N"].value) if "N" in f.figures else None) for f in members]
        own, extra = share_cells(rows, table=tid)
        feasible[column] = extra.get("feasible_n")
        by_row = {f.row: f for f in members}
        for c in own:
            f = by_row[c.row]
            c.column = column
            cells.append(c)
            sources.append(f.sources["share"])
            labels.append(f.label)
    out = ScanTable(tid, "shares", table["caption"], cells, sources, labels, found)
    out.extra = {"feasible_n": feasible}
    return out


def _judge_prose(found: list[Found]) -> ScanTable:
    tests = [_test_of(f, f.row) for f in found]
    # prose prints no significance marks: no decision errors from their absence
    audits = [audit_test(t, marks_used=False) for t in tests]
    by_row: dict[str, list[Cell]] = {}
    rows = []
    for a in audits:
        by_row[a.test.label] = test_cells(a, "prose", a.test.label, _chosen_mk(a))
        rows.append({"label": a.test.label, "feasible_mk": a.feasible_mk, "rank_sum_ok": a.rank_sum_ok})
    extra = {"rows": rows}
    cells, sources, labels, pairs = [], [], [], []
    for f, t in zip(found, tests):
        own = by_row.get(f.row, [])
        if not own:
            own = _lone_cells(f)
        pairs.append((f, t, own))
        for c in own:
            cells.append(c)
            sources.append(f.sources.get(c.column) or next(iter(f.sources.values())))
            labels.append(f.label)
    out = ScanTable("prose", "prose", "", cells, sources, labels, found)
    out.readings = _readings("prose", pairs, lambda f: {})
    out.extra = {"rows": extra.get("rows", [])}
    return out


def _chosen_mk(a) -> tuple[int, int] | None:
    """As :func:`repro.audit.reported_test_cells`: the printed (m, k), else the first consistent one."""
    t = a.test
    if t.m is not None and (t.k is not None or t.df is not None):
        k = int(t.k.value) if t.k is not None else int(t.df.value) + 1
        return int(t.m.value), k
    return a.feasible_mk[0] if a.feasible_mk else None


def _lone_cells(f: Found) -> list[Cell]:
    """A statement with nothing to compute its figures from: each figure is not checkable."""
    cells = []
    for name in ("W", "chi2", "p"):
        pr = f.figures.get(name)
        if pr is None:
            continue
        key = "scan.reason.p_min" if name == "p" and f.qualifier == "p_min" else "scan.reason.lone"
        cells.append(Cell("prose", f.row, name, pr.text, float(pr.value), status="not_checkable",
                          reason=Reason(key, {"field": name}), layer="recomputed", decimals=pr.decimals))
    return cells


def judge(extraction: Extraction, reconstruct: bool = True) -> list[ScanTable]:
    """Every finding of one document judged; tables in document order, then the prose.

    ``reconstruct=False`` skips the exhaustive reconstruction of mean-rank rows (k = 3, 4): their
    cells are then judged by rank sums, granularity and p from W at the table's (m, k).
    """
    out = []
    for table in extraction.tables:
        members = [f for f in extraction.found if f.table == table["id"]]
        if not members:
            continue
        if table["kind"] == "tests":
            tests = [f for f in members if f.kind == "test"]
            if tests:
                out.append(_judge_test_table(table, tests, reconstruct))
        else:
            out.append(_judge_shares(table, members))
    prose = [f for f in extraction.found if f.table == "prose" and f.kind == "test"]
    if prose:
        out.append(_judge_prose(prose))
    return out
