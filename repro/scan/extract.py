"""Finding reported Kendall/Friedman results, tie shares and the counts around them in a manuscript.

Three kinds of places are read (see the lexicon in :mod:`repro.scan.lexicon`):

* **prose statements**: one sentence's W, chi-square (with its df), p, df, and the m and k it
  prints (``Kendall's W = 0.43, χ²(3, N = 20) = 25.8, p < .001``; ``коэффициент конкордации
  W = 0,43``; ``p ең кіші мәні 0,095``). Several results in one sentence are split where a
  statistic repeats. A p or chi-square with no Kendall/Friedman word in its sentence or
  paragraph, or next to another test (t, F, r, correlations), is not taken;
* **tables of results** after a caption or a ``W p`` header: a label followed by k mean ranks,
  W and p (marks kept), or the two-line layout that prints W over p per column;
* **share tables** whose caption speaks of shares: every value between 0 and 1 is a share;
  a row of whole numbers is a count row.

Counts of raters (``n = 20 экспертов``, ``13 сарапшы``), of items and of comparisons are
collected everywhere; each result is linked to the nearest stated m and k with the distance
in lines. Nothing ambiguous is decided silently: the alternatives are kept on the finding.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from typing import Any

from repro.numerals import numbers_in, parse_count
from repro.printed import Printed, parse_printed
from repro.scan import lexicon as lx
from repro.scan.readers import Document

QUOTE_MAX = 240


@dataclass(frozen=True)
class Source:
    file: str
    page: int | None
    line: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "page": self.page, "line": self.line, "text": self.text}


@dataclass
class Found:
    """One thing scan found: a reported test, a share, or a count (raters, items, comparisons).

    ``figures`` holds every printed value by field (``W``, ``chi2``, ``df``, ``p``, ``m``, ``k``,
    ``mean_rank_j``, ``share``, ``comparisons``) with ``sources`` per field; ``context`` the m and
    k stated elsewhere with their distance; ``alternatives`` the readings scan could not decide.
    """

    kind: str
    table: str
    row: str
    label: str
    figures: dict[str, Printed]
    sources: dict[str, Source]
    column: str = ""
    index: int = 0  # position in the document (character offset), for ordering
    context: dict[str, dict[str, Any]] = field(default_factory=dict)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    qualifier: str = ""

    @property
    def line(self) -> int:
        return min(s.line for s in self.sources.values()) if self.sources else 0


@dataclass
class Extraction:
    document: Document
    found: list[Found]
    tables: list[dict[str, Any]]


# ------------------------------------------------------------------------------ positions

class _Text:
    """The document as one string with a map from offsets back to (page, line)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.starts: list[int] = []
        parts = []
        offset = 0
        for ln in doc.lines:
            self.starts.append(offset)
            parts.append(ln.text)
            offset += len(ln.text) + 1
        self.text = "\n".join(parts)

    def line_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def source(self, offset: int, quote: str | None = None) -> Source:
        i = self.line_index(offset)
        ln = self.doc.lines[i] if self.doc.lines else None
        text = " ".join((quote if quote is not None else (ln.text if ln else "")).split())
        return Source(self.doc.path, ln.page if ln else None, ln.line if ln else 0, text[:QUOTE_MAX])


def _quote_around(sentence: str, start: int, end: int) -> str:
    lo = max(0, start - 60)
    hi = min(len(sentence), end + 60)
    return sentence[lo:hi]


# ------------------------------------------------------------------------------ tables

def _tail_numbers(text: str) -> tuple[str, list[tuple[int, Printed]]]:
    """The label before a line's closing run of numbers, and that run (offset, number)."""
    nums = numbers_in(text)
    run: list[tuple[int, int, Printed]] = []
    for start, end, pr in reversed(nums):
        if run:
            gap = text[end:run[0][0]]
            if gap.strip():
                break
        elif text[end:].strip():
            break
        run.insert(0, (start, end, pr))
    label = text[:run[0][0]].strip() if run else text.strip()
    return label, [(s, p) for s, _, p in run]


def _unit(p: Printed, strict: bool = True) -> bool:
    """A value between 0 and 1 as printed (``strict``: no comparator; else "<0,001" too)."""
    return (p.comparator == "=" or not strict) and 0 <= float(p.number) <= 1


def _table_regions(doc: Document) -> list[dict[str, Any]]:
    """Captions and the lines that follow them up to a note, the next caption or 80 lines."""
    regions = []
    lines = doc.lines
    for i, ln in enumerate(lines):
        m = lx.CAPTION_RX.match(ln.text)
        if not m:
            continue
        end = min(len(lines), i + 80)
        for j in range(i + 1, end):
            if lx.CAPTION_RX.match(lines[j].text) or lx.NOTE_RX.match(lines[j].text):
                end = j
                break
        caption = " ".join(lines[k].text for k in range(i, min(i + 3, end)))
        regions.append({"start": i, "end": end, "number": m.group("n1") or m.group("n2"), "caption": caption})
    return regions


def _header_above(lines, i: int, floor: int) -> str:
    """The text lines (no numbers) above line ``i`` down to ``floor``, nearest first joined in order."""
    parts: list[str] = []
    j = i - 1
    while j >= floor and len(parts) < 12:
        t = lines[j].text.strip()
        if t and numbers_in(t):
            break
        if t:
            parts.insert(0, t)
        j -= 1
    return " ".join(parts)


def _tables(tx: _Text) -> tuple[list[Found], list[dict[str, Any]], set[int]]:
    doc = tx.doc
    lines = doc.lines
    found: list[Found] = []
    tables: list[dict[str, Any]] = []
    used: set[int] = set()
    regions = _table_regions(doc)
    # a "W ... p" header without a caption also opens a table of results
    captioned: set[int] = set()
    for r in regions:
        captioned.update(range(r["start"], r["end"]))
    next_free = 0
    for i, ln in enumerate(lines):
        if i in captioned or i < next_free:
            continue
        toks = ln.text.split()
        if len(toks) >= 2 and toks[-1] in ("p", "р", "P") and toks[-2] == "W":
            end = min(len(lines), i + 60)
            for j in range(i + 1, end):
                if lx.CAPTION_RX.match(lines[j].text) or lx.NOTE_RX.match(lines[j].text):
                    end = j
                    break
            regions.append({"start": i, "end": end, "number": None, "caption": ln.text})
            next_free = end  # a header inside this region's rows opens no second region
    seen_ids: dict[str, int] = {}
    for t_index, r in enumerate(sorted(regions, key=lambda r: r["start"]), start=1):
        head = " ".join(lines[k].text for k in range(r["start"], r["end"]) if not numbers_in(lines[k].text)
                        or k == r["start"])
        table_id = f"T{r['number']}" if r["number"] else f"T?{t_index}"
        seen_ids[table_id] = seen_ids.get(table_id, 0) + 1
        if seen_ids[table_id] > 1:  # the same number printed twice (a second paper, an appendix): keep both apart
            table_id = f"{table_id}#{seen_ids[table_id]}"
        if lx.SHARE_RX.search(r["caption"]):
            kind = "shares"
        elif lx.WP_RX.search(head):
            kind = "tests"
        else:
            continue
        rows = _share_rows(tx, r, table_id) if kind == "shares" else _test_rows(tx, r, table_id)
        if not rows:
            continue
        for f in rows:
            used.update(tx.line_index(s_off) for s_off in [f.index])
        found.extend(rows)
        used.update(range(r["start"], r["end"]))
        tables.append({"id": table_id, "kind": kind, "caption": " ".join(r["caption"].split())[:QUOTE_MAX],
                       "first_line": lines[r["start"]].line, "page": lines[r["start"]].page,
                       "start": r["start"], "end": r["end"]})
    return found, tables, used


def _share_rows(tx: _Text, r: dict[str, Any], table_id: str) -> list[Found]:
    lines = tx.doc.lines
    out: list[Found] = []
    header: list[str] = []
    row_no = 0
    block = 0
    n_printed = None
    # "Note: N = 36 comparisons" under the table states the denominator too
    if r["end"] < len(lines) and lx.NOTE_RX.match(lines[r["end"]].text):
        note_n = lx.N_IN_TABLE.search(lines[r["end"]].text)
        if note_n:
            n_printed = parse_printed(note_n.group("num"))
    for i in range(r["start"], r["end"]):
        text = lines[i].text
        m = lx.N_IN_TABLE.search(text)
        if m and i == r["start"] or (m and not numbers_in(text.replace(m.group(0), ""))):
            n_printed = parse_printed(m.group("num"))
            continue
        label, run = _tail_numbers(text)
        if len(run) < 2:
            if text.strip() and i > r["start"]:
                header = text.split()
            continue
        row_no += 1
        values = [p for _, p in run]
        is_share_row = all(_unit(p) for p in values)
        if not is_share_row:
            block += 1  # shares after a row of counts (Table 2's last row) are another block
        columns = header[-len(values):] if len(header) >= len(values) else [str(j) for j in range(1, len(values) + 1)]
        for j, ((offset, pr), column) in enumerate(zip(run, columns), start=1):
            src = Source(tx.doc.path, lines[i].page, lines[i].line, " ".join(text.split())[:QUOTE_MAX])
            kind = "share" if is_share_row else "count"
            f = Found(kind, table_id, str(row_no), label, {"share" if is_share_row else "count": pr},
                      {"share" if is_share_row else "count": src}, column=column, index=tx.starts[i] + offset,
                      qualifier=f"block{block}")
            if n_printed is not None and is_share_row:
                f.figures["N"] = n_printed
                f.sources["N"] = src
            if "stray_space" in pr.oddities:
                f.alternatives.append({"key": "scan.alt.stray_space", "params": {"printed": pr.text}})
            out.append(f)
    return out


_HEADER_FIELDS = [
    ("chi2", re.compile(r"^(?:χ|Χ)\^?[²2]?$|^chi\^?[²2]?$|^chi-?squared?$|^хи-?квадрат\w*$|^x\^?²$", re.IGNORECASE)),
    ("df", re.compile(r"^(?:df|d\.f\.|ст\.св\.|с\.с\.)$", re.IGNORECASE)),
    ("m", re.compile(r"^(?:n|N|m)$|^" + lx.RATER_NOUN + r"$", re.IGNORECASE)),
    ("k", re.compile(r"^k$")),
    ("W", re.compile(r"^W$")),
    ("p", re.compile(r"^(?:p|р|P)(?:-?value|-?мәні|-?значение)?$")),
]


def _header_fields(lines, start: int, end: int) -> list[str]:
    """The statistics a table's header names, in order (``n W χ² df p`` -> m, W, chi2, df, p)."""
    header = ""
    for i in range(start + 1, end):  # the last text line above the first row of numbers
        text = lines[i].text
        if text.strip().isdigit():
            continue  # a page number between the caption and the header
        if numbers_in(text):
            break
        if text.strip():
            header = text
    words = re.sub(r"ст\.\s+св\.", "ст.св.", header).replace("(", " ").replace(")", " ").split()
    fields = []
    for w in words:
        w = w.strip(",;:|")
        for name, pattern in _HEADER_FIELDS:
            if pattern.match(w):
                fields.append(name)
                break
    return fields


def _header_cells(lines, start: int, end: int) -> list[str]:
    """The header's cells where the reader kept them apart (two or more spaces: DOCX and HTML rows)."""
    header = ""
    for i in range(start + 1, end):
        text = lines[i].text
        if text.strip().isdigit():
            continue
        if numbers_in(text):
            break
        if text.strip():
            header = text
    return [c.strip() for c in re.split(r"\s{2,}", header.strip()) if c.strip()]


def _column_name(names: list[str], c: int, columns: int) -> str:
    """Column ``c`` (1-based) of ``columns`` by its header name when the header has one per column
    (after a label column), else its number."""
    if len(names) == columns + 1:
        names = names[1:]
    if len(names) == columns and len(set(names)) == columns and all(" W" not in n for n in names):
        return names[c - 1]
    return str(c)


def _test_rows(tx: _Text, r: dict[str, Any], table_id: str) -> list[Found]:
    lines = tx.doc.lines
    out: list[Found] = []
    row_no = 0
    i = r["start"] + 1
    last_row_line = r["start"]
    header = _header_fields(lines, r["start"], r["end"])
    names = _header_cells(lines, r["start"], r["end"])
    by_header = len(header) >= 3 and len(set(header)) == len(header) and len({"W", "chi2", "p"} & set(header)) >= 2
    while i < r["end"]:
        text = lines[i].text
        label, run = _tail_numbers(text)
        values = [p for _, p in run]
        if len(run) < 1 or (len(run) < 2 and not label):
            i += 1
            continue
        if by_header and not label and len(run) == len(header) + 1 and run[0][1].decimals == 0:
            label, run = run[0][1].text, run[1:]  # rows numbered 1, 2, 3: the number is the label
            values = [p for _, p in run]
        if not label:
            label = _header_above(lines, i, last_row_line + 1)
        if by_header and len(run) == len(header):
            # a header naming its columns (n, W, χ², df, p): each number is the statistic above it
            figures = dict(zip(header, values))
            if all(_unit(figures[f], strict=(f == "W")) for f in ("W", "p") if f in figures) and \
                    all(figures[f].comparator == "=" and float(figures[f].number) >= 1 and
                        figures[f].decimals == 0 for f in ("m", "k", "df") if f in figures):
                row_no += 1
                src = Source(tx.doc.path, lines[i].page, lines[i].line, " ".join(text.split())[:QUOTE_MAX])
                out.append(Found("test", table_id, str(row_no), label, figures, {f: src for f in figures},
                                 index=tx.starts[i] + run[0][0], qualifier="by_header"))
                last_row_line = i
                i += 1
                continue
        # the two-line layout: W per column on this line, p per column on the next
        j = i + 1
        while j < r["end"] and not lines[j].text.strip():
            j += 1
        nxt_label, nxt = _tail_numbers(lines[j].text) if j < r["end"] else ("", [])
        if (nxt and not nxt_label and len(nxt) == len(run) and all(_unit(p) for p in values)
                and all(_unit(p, strict=False) for _, p in nxt) and len(run) != 2):
            row_no += 1
            for c, ((w_off, W), (p_off, p)) in enumerate(zip(run, nxt), start=1):
                sources = {"W": Source(tx.doc.path, lines[i].page, lines[i].line, " ".join(text.split())[:QUOTE_MAX]),
                           "p": Source(tx.doc.path, lines[j].page, lines[j].line,
                                       " ".join(lines[j].text.split())[:QUOTE_MAX])}
                out.append(Found("test", table_id, str(row_no), label, {"W": W, "p": p}, sources,
                                 column=_column_name(names, c, len(run)), index=tx.starts[i] + w_off,
                                 qualifier="w_over_p"))
            last_row_line = j
            i = j + 1
            continue
        if len(run) >= 4 and len(run) % 2 == 0 and all(_unit(p, strict=False) for p in values) and \
                all(_unit(p) for p in values[0::2]):
            # one cell per column holding W and p one after the other (a DOCX or PDF row of W over p)
            row_no += 1
            src = Source(tx.doc.path, lines[i].page, lines[i].line, " ".join(text.split())[:QUOTE_MAX])
            for c in range(len(run) // 2):
                (w_off, W), (_, p) = run[2 * c], run[2 * c + 1]
                f = Found("test", table_id, str(row_no), label, {"W": W, "p": p}, {"W": src, "p": src},
                          column=_column_name(names, c + 1, len(run) // 2), index=tx.starts[i] + w_off,
                          qualifier="w_over_p")
                f.alternatives.append({"key": "scan.alt.pairing", "params": {"n": len(run) // 2}})
                out.append(f)
            last_row_line = i
            i += 1
            continue
        if len(run) >= 2 and _unit(values[-1]) and _unit(values[-2]) or (len(run) >= 2 and values[-1].comparator != "="
                                                                         and _unit(values[-2])):
            ranks = values[:-2]
            k = len(ranks)
            if k == 1 or any(not (1 <= float(x.number) <= k) for x in ranks):
                i += 1
                continue
            row_no += 1
            src = Source(tx.doc.path, lines[i].page, lines[i].line, " ".join(text.split())[:QUOTE_MAX])
            figures = {"W": values[-2], "p": values[-1]}
            figures.update({f"mean_rank_{n}": x for n, x in enumerate(ranks, start=1)})
            f = Found("test", table_id, str(row_no), label, figures, {name: src for name in figures},
                      index=tx.starts[i] + run[0][0], qualifier="row")
            if k:
                f.figures["k"] = Printed(text=str(k), value=parse_printed(str(k)).value)
                f.sources["k"] = src
                f.context["k"] = {"value": k, "distance": 0, "how": "mean_ranks", "source": src.as_dict()}
            out.append(f)
            last_row_line = i
        i += 1
    return out


# ------------------------------------------------------------------------------ prose

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«\"“(\[]?[A-ZА-ЯЁӘІҢҒҮҰҚӨҺ0-9])|\n\s*\n")


def _paragraphs(tx: _Text, skip: set[int]) -> list[tuple[int, str]]:
    """(offset, text) of each run of lines outside tables, split at blank lines."""
    out = []
    current: list[int] = []

    def flush():
        if current:
            start = tx.starts[current[0]]
            end = tx.starts[current[-1]] + len(tx.doc.lines[current[-1]].text)
            out.append((start, tx.text[start:end]))
            current.clear()

    for i, ln in enumerate(tx.doc.lines):
        if i in skip or not ln.text.strip():
            flush()
            continue
        if current and current[-1] != i - 1:
            flush()
        current.append(i)
    flush()
    return out


def _sentences(paragraph: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for m in _SENTENCE_END.finditer(paragraph):
        out.append((pos, paragraph[pos:m.start()]))
        pos = m.end()
    out.append((pos, paragraph[pos:]))
    return [(o, s) for o, s in out if s.strip()]


@dataclass
class _Stat:
    field: str
    printed: Printed
    start: int
    end: int
    extra: dict[str, Any] = dataclass_field(default_factory=dict)


def _num(match: re.Match, group: str = "num") -> Printed:
    text = match.group(group).replace("\u2212", "-")
    cmp = match.groupdict().get("cmp")
    if cmp and cmp not in ("=", "≈"):
        text = {"=<": "<=", "=>": ">="}.get(cmp, cmp) + text
    return parse_printed(text)


def _statements(sentence: str) -> list[_Stat]:
    stats: list[_Stat] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in lx.CHI_STATEMENT.finditer(sentence):
        pr = _num(m)
        if not pr.is_number:
            continue
        extra: dict[str, Any] = {}
        if m.group("df"):
            extra["df"] = parse_printed(m.group("df"))
        if m.group("n"):
            extra["m"] = parse_printed(m.group("n"))
        stats.append(_Stat("chi2", pr, m.start(), m.end(), extra))
        taken.append((m.start(), m.end()))
    for m in (m for rx_ in lx.W_STATEMENTS for m in rx_.finditer(sentence)):
        if not free(m.start("num"), m.end("num")):
            continue
        pr = _num(m)
        if pr.is_number and 0 <= float(pr.number) <= 1:
            stats.append(_Stat("W", pr, m.start(), m.end()))
            taken.append((m.start("num"), m.end("num")))
    for m in (m for rx_ in lx.P_STATEMENTS for m in rx_.finditer(sentence)):
        if not free(m.start("num"), m.end("num")):
            continue
        pr = _num(m)
        if pr.is_number and 0 <= float(pr.number) <= 1:
            before = re.split(r"[(\d]", sentence[max(0, m.start() - 20):m.start()])[-1]
            extra = {"min": bool(lx.MIN_WORD.search(before + sentence[m.start():m.start("num")]))}
            stats.append(_Stat("p", pr, m.start(), m.end(), extra))
            taken.append((m.start("num"), m.end("num")))
    for m in lx.MEAN_RANKS_RX.finditer(sentence):
        ranks = [pr for _, _, pr in numbers_in(m.group("list"))]
        if len(ranks) >= 2 and all(pr.comparator == "=" and 1 <= float(pr.number) <= len(ranks) for pr in ranks) \
                and free(m.start("list"), m.end("list")):
            stats.append(_Stat("ranks", ranks[0], m.start(), m.end(), {"ranks": ranks}))
            taken.append((m.start("list"), m.end("list")))
    for m in lx.DF_STATEMENT.finditer(sentence):
        if free(m.start("num"), m.end("num")):
            stats.append(_Stat("df", parse_printed(m.group("num")), m.start(), m.end()))
            taken.append((m.start("num"), m.end("num")))
    stats.sort(key=lambda s: s.start)
    return stats


def _hypothetical(sentence: str, st: _Stat) -> bool:
    after = sentence[st.end:st.end + 20]
    before = sentence[max(0, st.start - 12):st.start]
    return bool(lx.HYPOTHETICAL_RX.search(after.split(",")[0]) or lx.HYPOTHETICAL_RX.search(before))


_REFERENCE_WORD = re.compile(r"(?:таблица|table|кесте|рис\.?|рисунок|figure|fig\.|раздел\w*|section|"
                             r"с\.|p\.|бет|глава|chapter)\s*$", re.IGNORECASE)
_WILCOXON = re.compile(r"shapiro|wilk|wilcoxon|уилкоксон|шапиро|вилкоксон", re.IGNORECASE)


def _counts(tx: _Text, paragraphs: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Every stated count of raters (m), items (k) and comparisons, with its position."""
    out: list[dict[str, Any]] = []
    for p_off, para in paragraphs:
        for m in lx.M_EQUALS.finditer(para):
            value: int | None = int(m.group("num"))
            tail = m.group("tail") or ""
            before = para[max(0, m.start() - 40):m.start()]
            sym = m.group("sym")
            alternatives = []
            what: str | None
            if lx.rx(lx.RATER_NOUN).search(tail) or lx.rx(lx.RATER_NOUN + r"\W*\(?\s*$").search(before):
                what = "m"
            elif lx.rx(lx.ITEM_NOUN).search(tail) or lx.rx(lx.ITEM_NOUN + r"\W*\(?\s*$").search(before):
                what = "k"
            elif sym in "mM":
                what = "m"
            else:
                what = "m"
                alternatives.append({"key": "scan.alt.n_raters_or_items", "params": {"n": value}})
            out.append({"what": what, "value": value, "offset": p_off + m.start(), "end": p_off + m.end(),
                        "alternatives": alternatives, "text": m.group(0)})
        for m in lx.K_EQUALS.finditer(para):
            out.append({"what": "k", "value": int(m.group("num")), "offset": p_off + m.start(),
                        "end": p_off + m.end(), "alternatives": [], "text": m.group(0)})
        for m in lx.COUNT_BEFORE_NOUN.finditer(para):
            raw = m.group("digits") or m.group("word")
            value = int(raw) if raw.isdigit() else parse_count(raw)
            if value is None or value < 2 or value > 100_000:
                continue
            between = (m.group("between") or m.group("between_w") or "").split()
            if any(w.isdigit() for w in between):
                continue
            noun = m.group("noun")
            what = ("m" if lx.RATER_RX.match(noun) else "k" if lx.ITEM_RX.match(noun)
                    else "comparisons" if lx.COMPARISON_RX.match(noun) else None)
            if what is None or (what == "comparisons" and between):
                continue
            before = para[max(0, m.start() - 2):m.start()]
            if before.endswith(("-", "–")) or re.search(r"\d[.,]$", before):
                continue
            if _REFERENCE_WORD.search(para[max(0, m.start() - 16):m.start()]):
                continue  # "Таблица 4 Распределение респондентов": a table's number, not a count
            alternatives = []
            genitive = [w for w in between if lx.GENITIVE.search(w)]
            if genitive and what != "comparisons":
                alternatives.append({"key": "scan.alt.count_of_genitive", "params": {"n": value,
                                                                                      "word": genitive[-1]}})
            out.append({"what": what, "value": value, "offset": p_off + m.start(), "end": p_off + m.end(),
                        "alternatives": alternatives, "text": m.group(0)})
    out.sort(key=lambda c: int(c["offset"]))
    return out


def _prose(tx: _Text, skip: set[int]) -> tuple[list[Found], list[Found]]:
    paragraphs = _paragraphs(tx, skip)
    counts = _counts(tx, paragraphs)
    tests: list[Found] = []
    count_found: list[Found] = []
    n_test = 0
    count_offsets = [c["offset"] for c in counts]  # counts are sorted by offset
    for p_off, para in paragraphs:
        para_kendall = bool(lx.KENDALL_RX.search(para))
        for s_off, sentence in _sentences(para):
            stats = [s for s in _statements(sentence) if not _hypothetical(sentence, s)]
            if not stats:
                continue
            other = bool(lx.OTHER_TEST_RX.search(sentence)) or bool(_WILCOXON.search(sentence))
            kendall_here = bool(lx.KENDALL_RX.search(sentence))
            groups: list[list[_Stat]] = []
            for st in stats:
                if not groups or any(g.field == st.field for g in groups[-1]) or \
                        (st.field == "df" and any(g.field == "chi2" and "df" in g.extra for g in groups[-1])):
                    groups.append([st])
                else:
                    groups[-1].append(st)
            base = p_off + s_off
            lo_i = bisect.bisect_left(count_offsets, base)
            hi_i = bisect.bisect_left(count_offsets, base + len(sentence))
            sentence_counts = counts[lo_i:hi_i]
            for g in groups:
                fields = {s.field for s in g}
                if not fields & {"W", "chi2", "p"}:
                    continue  # mean ranks alone are no reported test
                if "W" not in fields:
                    if other or not (kendall_here or para_kendall):
                        continue
                elif _WILCOXON.search(sentence):
                    continue
                n_test += 1
                figures: dict[str, Printed] = {}
                sources: dict[str, Source] = {}
                quote = " ".join(sentence.split())
                for s in g:
                    if s.field == "ranks":
                        for j, pr in enumerate(s.extra["ranks"], start=1):
                            figures[f"mean_rank_{j}"] = pr
                            sources[f"mean_rank_{j}"] = tx.source(base + s.start, quote)
                        continue
                    figures[s.field] = s.printed
                    sources[s.field] = tx.source(base + s.start, quote)
                    for name, value in s.extra.items():
                        if name in ("df", "m") and name not in figures:
                            figures[name] = value
                            sources[name] = tx.source(base + s.start, quote)
                f = Found("test", "prose", str(n_test), quote[:QUOTE_MAX], figures, sources,
                          index=base + g[0].start)
                if any(s.extra.get("min") for s in g if s.field == "p"):
                    f.qualifier = "p_min"
                for c in sentence_counts:
                    if c["what"] in ("m", "k") and c["what"] not in figures and not c["alternatives"]:
                        figures[c["what"]] = parse_printed(str(c["value"]))
                        sources[c["what"]] = tx.source(c["offset"], quote)
                        c["own"] = True  # printed with this result: no context for the others
                    elif c["what"] in ("m", "k") and c["alternatives"]:
                        f.alternatives.extend(c["alternatives"])
                    if c["what"] in figures and figures[c["what"]].value == c["value"]:
                        c["own"] = True  # the same count read twice ("n = 12 экспертов")
                for s in g:
                    if "stray_space" in s.printed.oddities:
                        f.alternatives.append({"key": "scan.alt.stray_space", "params": {"printed": s.printed.text}})
                tests.append(f)
    for c in counts:
        src = tx.source(c["offset"], tx.text[c["offset"]:c["end"] + 40].split("\n")[0])
        f = Found("count", "prose", c["what"], c["text"], {c["what"]: parse_printed(str(c["value"]))},
                  {c["what"]: src}, index=c["offset"], alternatives=list(c["alternatives"]),
                  qualifier="own" if c.get("own") else "")
        count_found.append(f)
    return tests, count_found


# ------------------------------------------------------------------------------ context

def link_context(tx: _Text, found: list[Found], counts: list[Found], tables: list[dict[str, Any]]) -> None:
    """Tie each result to the nearest m and k stated elsewhere, with the distance in lines
    (ties: the one before the result; several values at the same distance are kept as alternatives)."""
    by_what: dict[str, list[tuple[int, Found]]] = {"m": [], "k": []}
    for c in counts:
        if c.row in by_what and c.qualifier != "own":
            by_what[c.row].append((tx.line_index(c.index), c))
    for what in by_what:
        by_what[what].sort(key=lambda t: (t[0], t[1].index))
    keys = {what: [line for line, _ in pairs] for what, pairs in by_what.items()}
    offsets = {what: [c.index for _, c in pairs] for what, pairs in by_what.items()}
    for f in found:
        if f.kind != "test":
            continue
        here = tx.line_index(f.index)
        for what in ("m", "k"):
            if what in f.figures or what in f.context or not by_what[what]:
                continue
            pairs, lines = by_what[what], keys[what]
            pos = bisect.bisect_left(lines, here)
            best = min(abs(lines[j] - here) for j in (pos - 1, pos) if 0 <= j < len(lines))
            # every count at that distance, before the result first, then after (a few at most)
            b_lo, b_hi = bisect.bisect_left(lines, here - best), bisect.bisect_right(lines, here - best)
            if best == 0:
                # on the result's own line: the closest few by position
                k_pos = bisect.bisect_left(offsets[what], f.index, b_lo, b_hi)
                nearest = sorted((c for _, c in pairs[max(b_lo, k_pos - 4):min(b_hi, k_pos + 4)]),
                                 key=lambda c: abs(c.index - f.index))
            else:
                a_lo, a_hi = bisect.bisect_left(lines, here + best), bisect.bisect_right(lines, here + best)
                nearest = [c for _, c in pairs[max(b_lo, b_hi - 4):b_hi]][::-1] + \
                    [c for _, c in pairs[a_lo:min(a_hi, a_lo + 4)]]
            values = sorted({int(c.figures[what].number) for c in nearest})
            c0 = nearest[0]
            f.context[what] = {"value": int(c0.figures[what].number), "distance": best, "how": "stated",
                               "source": c0.sources[what].as_dict()}
            if len(values) > 1:
                f.alternatives.append({"key": "scan.alt.context_values", "params": {"what": what,
                                       "values": ", ".join(map(str, values))}})


def extract(doc: Document) -> Extraction:
    """Everything scan finds in one document (tables first; prose outside the tables)."""
    tx = _Text(doc)
    table_found, tables, used = _tables(tx)
    prose_tests, counts = _prose(tx, used)
    found = sorted(table_found + prose_tests, key=lambda f: f.index)
    link_context(tx, found, counts, tables)
    return Extraction(doc, found + counts, tables)
