"""``repro audit FILE``: check any reported Kendall/Friedman results or tie shares."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import FORMAT_HELP, LANG_HELP, OUT_HELP, Format, Lang, edge, emit_results

EXAMPLE = """Audit reported results typed from any paper: W, chi2, df, p, m, k, mean ranks, marks
(one row per test), or shares (label,share[,N]). Same statuses and JSON shape as repro tables.

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
                                                      "for several rows.")):
    from repro.audit import AuditOptions, audit_table
    from repro.audit_input import read_reported
    from repro.tables import tables_json

    kind, rows = read_reported(file)
    options = AuditOptions(strict=strict, chi2_uncorrected=chi2_uncorrected, exact_p=exact_p,
                           reconstruct=not no_reconstruct)
    results = [audit_table(kind, rows, options)]
    witnesses = [(r.get("label"), r.pop("_witness", None)) for r in results[0].extra.get("rows", [])]
    if write_witness:
        from repro.ranksums import write_witnesses

        write_witnesses(write_witness, witnesses)
    payload = tables_json(results, lang.value)
    payload["tables"][0]["title"] = {"kk": file, "ru": file, "en": file}
    emit_results(results, fmt, lang.value, out, title=file, payload=payload)
