"""Load the transcribed datasets (``datasets/``) into plain Python structures.

Nothing here corrects a published value: every number keeps its printed text, parsed
alongside into a :class:`~repro.printed.Printed`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from repro.csvread import read_records
from repro.errors import ReproError
from repro.paths import dataset, datasets_dir
from repro.printed import Printed, parse_printed

TABLE2_BLOCKS = ("E1", "E2", "E3", "Q27")
TABLE2_TOTAL = "Жалпы"


def _records(name: str, required: list[str], base: Path | None = None) -> list[dict[str, str]]:
    path = (base / name) if base else dataset(name)
    return read_records(path, required)


def _number(record: dict[str, str], column: str, file: str) -> Printed:
    printed = parse_printed(record[column])
    if not printed.is_number:
        raise ReproError(f"not a number: {record[column]!r}", file=file, row=int(record["__row__"]), column=column)
    return printed


def _row_number(record: dict[str, str], file: str) -> int:
    """The printed row number of a transcribed row (a positive integer)."""
    text = record["row"].strip()
    if not text.isdigit() or int(text) < 1:
        raise ReproError(f"row number must be a positive integer, not {record['row']!r}", file=file,
                         row=int(record["__row__"]), column="row")
    return int(text)


@dataclass(frozen=True)
class Table2Row:
    row: int
    gap_before: bool
    label: str
    cells: dict[str, Printed]


@dataclass(frozen=True)
class Table3Row:
    row: int
    indicator: str
    ranks: tuple[Printed, ...]
    W: Printed
    p: Printed


@dataclass(frozen=True)
class Table4Cell:
    row: int
    indicator: str
    dimension: str
    W: Printed
    p: Printed


@lru_cache(maxsize=None)
def table2(base: Path | None = None) -> tuple[Table2Row, ...]:
    """Paper 004, Table 2, all 15 printed rows (13 body rows and two after a blank line)."""
    name = "p004_table2.csv"
    columns = list(TABLE2_BLOCKS) + [TABLE2_TOTAL]
    rows = []
    for rec in _records(name, ["row", "gap_before", "label"] + columns, base):
        rows.append(Table2Row(_row_number(rec, name), rec["gap_before"] == "true", rec["label"],
                              {c: _number(rec, c, name) for c in columns}))
    return tuple(rows)


@lru_cache(maxsize=None)
def table3(base: Path | None = None) -> tuple[Table3Row, ...]:
    """Paper 004, Table 3: three mean ranks, W and p per inner-ring indicator."""
    name = "p004_table3.csv"
    rows = []
    for rec in _records(name, ["row", "indicator", "rank_1", "rank_2", "rank_3", "W", "p"], base):
        ranks = tuple(_number(rec, f"rank_{j}", name) for j in (1, 2, 3))
        rows.append(Table3Row(_row_number(rec, name), rec["indicator"], ranks, _number(rec, "W", name),
                              _number(rec, "p", name)))
    return tuple(rows)


@lru_cache(maxsize=None)
def table4(base: Path | None = None) -> tuple[Table4Cell, ...]:
    """Paper 004, Table 4: W over p per indicator and dimension."""
    name = "p004_table4.csv"
    return tuple(Table4Cell(_row_number(r, name), r["indicator"], r["dimension"], _number(r, "W", name),
                            _number(r, "p", name))
                 for r in _records(name, ["row", "indicator", "dimension", "W", "p"], base))


@lru_cache(maxsize=None)
def text_table(name: str, columns: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """A text table (paper 000 Table 1, paper 004 Table 1, ladder parts) as records."""
    return tuple(_records(name, list(columns)))


def p000_table1() -> tuple[dict[str, str], ...]:
    return text_table("p000_table1.csv", ("row", "form", "level", "density_change", "kz_experience"))


def p004_table1() -> tuple[dict[str, str], ...]:
    return text_table("p004_table1.csv", ("row", "term", "definition", "sources", "critique"))


def tables_meta() -> dict[str, dict[str, str]]:
    """Printed titles, headers, notes and places of the five tables, by table id."""
    recs = text_table("tables.csv", ("table", "paper", "number", "title_printed", "header_printed",
                                     "note_printed", "place"))
    return {r["table"]: r for r in recs}


def papers() -> dict[str, dict[str, str]]:
    recs = text_table("papers.csv", ("paper", "language", "title_printed", "authors_printed", "doi_printed",
                                     "journal_printed", "abstract_languages", "source_file"))
    return {r["paper"]: r for r in recs}


def prose_figures() -> dict[str, dict[str, str]]:
    """Figures stated in the prose of both papers, by id, each with its place and quote."""
    recs = text_table("prose_figures.csv", ("id", "paper", "section", "paragraph", "printed", "quote", "attributed_to",
                                            "readings"))
    return {r["id"]: r for r in recs}


def oddities() -> tuple[dict[str, str], ...]:
    return text_table("oddities.csv", ("table", "row", "column", "kind", "printed", "note"))


def oddity_findings(table: str) -> list[dict]:
    """The printing oddities of one table as findings (``kind`` = ``oddity.<kind>``). The counts an oddity's
    text states come from the datasets: Table 2's rows and the rows after its blank line, the header
    fragments (``|``-separated in ``printed``) over Table 3's mean-rank columns."""
    def counts(o: dict[str, str]) -> dict[str, object]:
        if o["kind"] == "unlabelled_rows" and table == "B2":
            rows = table2()
            gap = next((i for i, r in enumerate(rows) if r.gap_before), len(rows))
            return {"rows": len(rows), "after_gap": [r.row for r in rows[gap:]]}
        if o["kind"] == "header_fragments" and table == "B3":
            return {"columns": len(table3()[0].ranks), "fragments": len(o["printed"].split("|"))}
        return {}

    return [{"kind": "oddity." + o["kind"], "params": {"table": table, "row": o["row"], "column": o["column"],
                                                       "printed": o["printed"], **counts(o)},
             "evidence": o["note"]}
            for o in oddities() if o["table"] == table]


def dataset_hashes() -> dict[str, str]:
    """sha256 of every file in ``datasets/``, by file name (for provenance)."""
    folder = datasets_dir()
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}
