"""``repro audit FILE``: check any reported Kendall/Friedman results or tie shares."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import Format, Lang, dump_json, edge, emit

EXAMPLE = """Audit reported results typed from any paper: W, chi2, df, p, m, k, mean ranks, marks
(one row per test), or shares (label,share[,N]). Same statuses and JSON shape as repro tables.

Example: repro audit reported.csv --format json"""


@edge
def audit(file: str = typer.Argument(..., help="CSV of reported results."),
          lang: Lang = typer.Option(Lang.en, "--lang", "-l"),
          fmt: Format = typer.Option(Format.table, "--format", "-f"),
          out: Optional[str] = typer.Option(None, "--out", "-o")):
    from repro.audit import audit_shares, audit_test, best_shared_mk, test_cells
    from repro.audit_input import read_reported
    from repro.tables import TableResult, tables_json
    from repro.verdict import Cell, Reason

    kind, rows = read_reported(file)
    if kind == "tests":
        audits = [audit_test(t) for t in rows]
        cells, extra = [], {"rows": []}
        for a in audits:
            mk = (int(a.test.m.value) if a.test.m else None, int(a.test.k.value) if a.test.k else None)
            chosen = a.feasible_mk[0] if a.feasible_mk else None
            if mk[0] and mk[1]:
                chosen = mk
            cells.extend(test_cells(a, "audit", a.test.label, chosen))
            extra["rows"].append({"label": a.test.label, "feasible_mk": a.feasible_mk, "rank_sum_ok": a.rank_sum_ok,
                                  "granular_m": a.granular_m, "decision_error": a.decision_error,
                                  "datasets": a.reconstruction.total_datasets if a.reconstruction else None})
        shared, n = best_shared_mk(audits)
        extra["shared_mk"], extra["rows_consistent_at_shared_mk"] = shared, n
    else:
        cells, extra = [], {"feasible_n": {}}
        groups: dict = {}
        for label_, share, n in rows:
            groups.setdefault(n, []).append((label_, share))
        for n, members in groups.items():
            result = audit_shares(f"N={n}", [s for _, s in members])
            extra["feasible_n"][str(n) if n else "unknown"] = result.feasible_n
            from repro.granularity import share_numerators

            for label_, share in members:
                if n:
                    ks = share_numerators(share, n)
                    status = "reproduced" if ks else "inconsistent"
                    reason = Reason("reason.share_fits", {"k": ks[0], "n": n}) if ks else \
                        Reason("reason.share_misfit", {"n": n, "k": round(float(share.value) * n),
                                                       "value": round(float(share.value) * n) / n,
                                                       "n_granular": result.feasible_n[0] if result.feasible_n else None})
                else:
                    status, reason = "not_checkable", Reason("reason.rank_attainable", {"m": "—"})
                cells.append(Cell("audit", label_, "share", share.text, float(share.value), status=status,
                                  reason=reason, layer="recomputed", decimals=share.decimals))
    results = [TableResult("audit", "input", [], cells, [], extra)]
    payload = tables_json(results, lang.value)
    payload["tables"][0]["title"] = {"kk": file, "ru": file, "en": file}
    if fmt is Format.json:
        emit(dump_json(payload), out)
        return
    if fmt is Format.table:
        from commands.tables import print_tables

        print_tables(results, lang.value, file)
        return
    from repro.render import render_rows

    emit(render_rows(results, lang.value, fmt.value), out)
