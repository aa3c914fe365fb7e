"""Writers of plain tables in each data format, treating every cell as data, never as markup.

User text (labels, item names, file names) reaches every output. Each writer escapes what
its format would otherwise interpret:

* terminal: C0/C1 control characters (ESC, BEL, CSI, ...) shown as visible ``\\x1b`` escapes,
  so a label cannot move the cursor, clear the screen or set the title; Rich receives
  ``Text`` objects, never markup strings;
* CSV: a text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
  prefixed with ``'`` (OWASP "CSV injection"), unless it is a number such as ``-0,12``;
  every other byte is kept;
* Markdown (GFM): ``|`` escaped, newlines as ``<br>``, ``<``, ``>`` and ``&`` as entities;
  cells are never parsed as numbers, so ``0.310`` keeps its printed precision;
* LaTeX: the ten special characters escaped (``\\textbackslash{}``, ``\\{``, ...), in a
  booktabs longtable.

An empty cell (None or NaN) is written empty in every format.
"""

from __future__ import annotations

import csv
import io
import math
import re
from typing import Any, Sequence

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NUMBER = re.compile(r"^\s*[-+−]?\s*(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*\**\s*$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A cell as text: None and NaN empty, everything else ``str``."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def terminal_text(text: Any) -> str:
    """``text`` with control characters (except newline and tab) shown as ``\\xNN`` escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cell(text))


def csv_cell(value: Any) -> str:
    """A CSV cell safe to open in a spreadsheet: a formula-like text cell gets a leading ``'``."""
    text = cell(value)
    if text.startswith(_FORMULA_START) and not (isinstance(value, (int, float)) or _NUMBER.match(text)):
        return "'" + text
    return text


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def markdown_cell(value: Any) -> str:
    text = cell(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\r\n|\r|\n", "<br>", text)


def markdown_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> str:
    """A GitHub-flavoured Markdown table (tabulate ``github``, no number parsing)."""
    from tabulate import tabulate

    body = tabulate([[markdown_cell(v) for v in row] for row in rows], headers=[markdown_cell(c) for c in columns],
                    tablefmt="github", disable_numparse=True, missingval="")
    return (f"**{markdown_cell(title)}**\n\n" if title else "") + body + "\n"


_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_LATEX_RE = re.compile("[" + re.escape("".join(_LATEX)) + "]")


def latex_cell(value: Any) -> str:
    text = _LATEX_RE.sub(lambda m: _LATEX[m.group()], cell(value))
    return re.sub(r"\r\n|\r|\n", r"\\newline{}", text)


def latex_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> str:
    """A booktabs ``longtable`` (needs ``\\usepackage{longtable,booktabs}``); every cell escaped."""
    spec = "l" * len(columns)
    head = " & ".join(latex_cell(c) for c in columns) + r" \\"
    lines = [r"\begin{longtable}{" + spec + "}"]
    if title:
        lines.append(r"\caption{" + latex_cell(title) + r"} \\")
    lines += [r"\toprule", head, r"\midrule", r"\endfirsthead", r"\toprule", head, r"\midrule", r"\endhead",
              r"\midrule", r"\multicolumn{" + str(len(columns)) + r"}{r}{\ldots} \\", r"\endfoot",
              r"\bottomrule", r"\endlastfoot"]
    for row in rows:
        lines.append(" & ".join(latex_cell(v) for v in row) + r" \\")
    lines.append(r"\end{longtable}")
    return "\n".join(lines) + "\n"
