"""``repro audit FILE``: check any reported Kendall/Friedman results or tie shares."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import FORMAT_HELP, LANG_HELP, OUT_HELP, Format, Lang, edge, emit_results

EXAMPLE = """Audit reported results typed from any paper: W, chi2, df, p, m, k, mean ranks, marks
(one row per test), or shares (label,share[,N]). Same statuses and JSON shape as repro tables.
Rows are audited in parallel (--jobs), each within a time budget (--row-seconds); a row stopped
at its budget is "not checkable" and named in the summary.

Example: repro audit reported.csv --format json"""


@edge
def audit(file: str = typer.Argument(..., metavar="FILE",
                                     help="CSV of reported results (comma- or semicolon-separated; - for stdin)."),
          lang: Lang = typer.Option(Lang.en, "--lang", "-l", help=LANG_HELP),
          fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
          out: Optional[str] = typer.Option(None, "--out", "-o", help=OUT_HELP),
          strict: bool = typer.Option(False, "--strict", help="The rankings are strict (no ties): W must "
                                      "equal the uncorrected W of the mean ranks. A 'ties' column overrides it."),
          chi2_uncorrected: bool = typer.Option(False, "--chi2-uncorrected",
                                                help="The printed chi2 is not corrected for ties."),
          exact_p: bool = typer.Option(False, "--exact-p", help="The printed p is exact (not the chi-square "
                                       "approximation): with --strict, W-p is checked with the exact p of untied rankings where it "
                                       "is within reach; otherwise W-p and chi2-p are not checked."),
          no_reconstruct: bool = typer.Option(False, "--no-reconstruct",
                                              help="Skip the exhaustive k = 3 / k = 4 reconstruction."),
          write_witness: Optional[str] = typer.Option(None, "--write-witness",
                                                      help="Write a dataset that gives the row (CSV that "
                                                      "repro kendall --data reads); FILE-1.csv, FILE-2.csv... "
                                                      "for several rows."),
          jobs: int = typer.Option(0, "--jobs", "-j", min=0, max=256,
                                   help="Worker processes for the rows (0: one per core; 1: no workers)."),
          row_seconds: float = typer.Option(0.0, "--row-seconds", min=0.0,
                                            help="Time budget of one row in seconds (0: AUDIT_ROW_SECONDS of "
                                                 "repro/limits.py).")):
    import functools
    import sys

    from repro import limits
    from repro.audit import AuditOptions, audit_row, audit_table
    from repro.audit_input import read_reported
    from repro.rowrun import OverBudget, run_rows
    from repro.tables import tables_json

    seconds = row_seconds or limits.AUDIT_ROW_SECONDS
    kind, rows = read_reported(file)
    options = AuditOptions(strict=strict, chi2_uncorrected=chi2_uncorrected, exact_p=exact_p,
                           reconstruct=not no_reconstruct)
    stopped: list[int] = []
    audits = None
    if kind == "tests":  # the engine's pure per-row function, mapped over the cores, each row on a budget
        audits = run_rows(functools.partial(audit_row, options=options), rows, seconds, jobs)
        for i, a in enumerate(audits):
            if isinstance(a, OverBudget):
                stopped.append(i)
                audits[i] = _over_budget(rows[i], options, seconds)
    results = [audit_table(kind, rows, options, audits)]
    witnesses = [(a.info.get("label"), a.witness) for a in audits or []]
    if write_witness:
        from repro.ranksums import write_witnesses

        write_witnesses(write_witness, witnesses)
    payload = tables_json(results, lang.value)
    payload["tables"][0]["title"] = {"kk": file, "ru": file, "en": file}
    payload["tables"][0]["over_budget_rows"] = [_row_name(rows[i], i) for i in stopped]
    if stopped:
        from repro.catalog import render

        sys.stderr.write("repro: " + render("audit.over_budget", lang.value,
                                            {"n": len(stopped), "seconds": f"{seconds:g}",
                                             "rows": ", ".join(_row_name(rows[i], i) for i in stopped[:20])})
                         + "\n")
    emit_results(results, fmt, lang.value, out, title=file, payload=payload)


def _row_name(test, index: int) -> str:
    row = getattr(test, "source_row", None)
    return f"row {row}" if row else f"#{index + 1}"


def _over_budget(test, options, seconds: float):
    """A row stopped at its budget: one not-checkable cell naming the budget, no inference."""
    from repro.audit import RowAudit
    from repro.verdict import Cell, Reason

    cell = Cell(getattr(options, "table", "audit"), test.label, "row", "", None, None, "not_checkable",
                Reason("audit.row_over_budget", {"seconds": f"{seconds:g}"}), "recomputed")
    return RowAudit(cells=[cell], groups=[], info={"label": test.label, "feasible_mk": [], "over_budget": True})
