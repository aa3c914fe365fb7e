"""All published tables with their verdicts: a registry ``{table id: verifier}``.

:func:`verify_tables` runs the verifiers and returns :class:`~repro.verdict.TableResult` objects.
Each verifier builds its own result (cells, groups, readings, extra inferences as plain data and
cells); nothing here renders text. Labels live in :mod:`repro.labels`, the JSON contract in
:mod:`repro.contract`; the names below are re-exported for the callers of the former module.
"""

from __future__ import annotations

from typing import Callable

from repro import datasets as ds
from repro.contract import _cell_json, _jsonable, cell_json, tables_json  # noqa: F401  (re-exports)
from repro.labels import (RENDERED_FINDINGS, cell_text, cell_view, column_label, finding_text,  # noqa: F401
                          reason_text, row_display, row_label)
from repro.progress import advance
from repro.verdict import TableResult

__all__ = ["TABLE_IDS", "VERIFIERS", "TableResult", "verify_tables", "tables_json", "cell_json", "cell_view",
           "cell_text", "column_label", "finding_text", "reason_text", "row_display", "row_label",
           "oddity_findings"]


oddity_findings = _oddity_findings = ds.oddity_findings


def _a1() -> TableResult:
    from repro.ladder import verify_ladder

    v = verify_ladder()
    findings = [{"kind": f.kind, "params": f.params, "evidence": f.evidence} for f in v.findings]
    return TableResult("A1", "000", ["form", "level", "density_change", "kz_experience"], v.cells, findings,
                       {"constructed": v.constructed})


def _b1() -> TableResult:
    from repro.ladder import definitions_cells

    return TableResult("B1", "004", ["term", "definition", "sources", "critique"], definitions_cells(),
                       oddity_findings("B1"))


def _b2() -> TableResult:
    from repro.paper004 import table2_result

    return table2_result()


def _b3() -> TableResult:
    from repro.paper004 import table3_result

    return table3_result()


def _b4() -> TableResult:
    from repro.paper004 import table4_result

    return table4_result()


def _prose() -> TableResult:
    from repro.paper004 import prose_result

    return prose_result()


VERIFIERS: dict[str, Callable[[], TableResult]] = {"A1": _a1, "B1": _b1, "B2": _b2, "B3": _b3, "B4": _b4,
                                                   "prose": _prose}
TABLE_IDS = tuple(VERIFIERS)


def verify_tables(ids: tuple[str, ...] = TABLE_IDS) -> list[TableResult]:
    """Run every check of the requested tables (``A1``, ``B1``…``B4``, ``prose``), in this process.

    (Table 3 in a forked child beside the other tables was tried and measured: on an idle 2-core machine no
    faster, median 1.16 s against 1.07 s for ``repro tables`` over 10 alternating runs, because the other
    tables take 0.04 s; it costs the child's copy-on-write pages and is slower under load.)"""
    from repro.errors import ReproError

    unknown = [i for i in ids if i not in VERIFIERS]
    if unknown:
        raise ReproError(f"unknown table id {unknown[0]!r}; expected one of {', '.join(TABLE_IDS)}")
    out = []
    for position, table_id in enumerate(ids):
        advance("progress.tables", position, len(ids))
        out.append(VERIFIERS[table_id]())
    return out
