"""``repro tables``: every published table with its computed statuses."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import FORMAT_HELP, LANG_HELP, OUT_HELP, Format, Lang, edge, emit_results, fail
from commands._common import print_tables  # noqa: F401 - moved to _common; kept for callers that import it here

EXAMPLE = """Show the six tables (A1, B1, B2, B3, B4 and the figures in the prose) with a status per cell,
and a grand total; pick one; emit the JSON contract.

Example: repro tables --table B2 --lang kk
         repro tables --format json > tables.json"""


def table_choice(value: str, allowed: tuple[str, ...]) -> str:
    """``--table`` matched case-insensitively against ``allowed`` (``b4`` is B4); exit 2 otherwise."""
    for t in allowed:
        if t.lower() == value.strip().lower():
            return t
    fail(f"unknown table {value!r}; --table takes {', '.join(allowed)}")


def _complete_table(incomplete: str) -> list[str]:
    """Shell completion of --table: the table ids (repro.tables.TABLE_IDS), not file names."""
    from repro.tables import TABLE_IDS

    return [t for t in TABLE_IDS if t.lower().startswith(incomplete.lower())]


@edge
def tables(table: Optional[str] = typer.Option(None, "--table", "-t", help="Only this table: A1, B1, B2, B3, B4 or prose.",
                                               autocompletion=_complete_table),
           lang: Lang = typer.Option(Lang.en, "--lang", "-l", help=LANG_HELP),
           fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
           out: Optional[str] = typer.Option(None, "--out", "-o", help=OUT_HELP)):
    from repro.cache import cached
    from repro.tables import TABLE_IDS, verify_tables

    ids = TABLE_IDS
    if table is not None:
        ids = (table_choice(table, TABLE_IDS),)
    results = cached("tables-" + "-".join(ids), lambda: verify_tables(ids))
    emit_results(results, fmt, lang.value, out)
