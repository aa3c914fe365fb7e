"""The content of one edition of the report (the view model): everything a language's HTML and PDF show,
computed from the verified tables and the catalog, nothing written in advance.

Structure of an edition: a verdict per paper (findings by severity, certainty, assumptions, what follows,
a recommendation), counts per paper and table, the tables in their printed shape with their figures,
then an appendix (reasons of the cells not reproduced in compact tables, the prose numbers with their
quotes, the reconstructions, methods and references, provenance).
"""

from __future__ import annotations

import re
from collections import Counter

from repro import datasets as ds
from repro.catalog import LANGUAGES, label, render
from repro.labels import (assumption_text, cell_text, column_label, finding_text, reason_text, row_display,
                          row_label, text_of)
from repro.numfmt import fmt_bounded, fmt_number
from repro.verdict import SEVERITIES, STATUS_MARKS, severity_counts

# what the reader counts per table: a row of Table 3 (its mean ranks, W and p stand or fall together),
# a W–p pair of Table 4 (one fact, printed as two numbers), otherwise a cell
UNITS = {"B3": "rows", "B4": "pairs", "prose": "numbers"}
WORST = {"reproduced": 0, "within_rounding": 1, "not_checked_yet": 2, "not_checkable": 2, "inconsistent": 3}
# units by their verdict, then the findings by severity exactly as the JSON counts them (severity_counts)
UNIT_COLUMNS = ("total", "reproduced", "within_rounding", "not_checkable", "inconsistent")
FINDING_COLUMNS = SEVERITIES + ("unclassified",)
NBSP = "\u00a0"


# ------------------------------------------------------------------ severity and units

def plural(key: str, lang: str, n: int, params: dict | None = None) -> str:
    """A count phrase (catalog plural fields ``{n:plural:one=…|few=…}``) for ``n``."""
    return render(key, lang, dict(params or {}, n=n))


def severity(cell) -> str | None:
    """The cell's severity from the cell model (None unless inconsistent); 'unclassified' for an
    inconsistent cell the model gives no severity (shown as such, never guessed)."""
    if cell.status != "inconsistent":
        return None
    return cell.severity if cell.severity in SEVERITIES else "unclassified"


def unit_key(table_id: str, cell) -> tuple:
    if table_id == "B3":
        return (cell.row,)
    if table_id == "B4":
        return (cell.row, cell.column.rpartition(" ")[0])
    return (cell.row, cell.column)


def units(result) -> dict[tuple, list]:
    out: dict[tuple, list] = {}
    for cell in result.cells:
        out.setdefault(unit_key(result.id, cell), []).append(cell)
    return out


def unit_verdict(cells: list) -> tuple[str, str | None]:
    """(status, severity) of a unit: its worst cell's status, and its gravest severity."""
    status = max((c.status for c in cells), key=lambda s: WORST[s])
    found = [severity(c) for c in cells if severity(c)]
    order = SEVERITIES + ("unclassified",)
    return status, (min(found, key=order.index) if found else None)


def table_counts(result) -> dict[str, int]:
    """Units per verdict (total, reproduced, within rounding, not checkable, inconsistent) and the findings
    by severity as the JSON counts them (each failing group once)."""
    counts = dict.fromkeys(UNIT_COLUMNS + FINDING_COLUMNS, 0)
    for cells in units(result).values():
        status, _ = unit_verdict(cells)
        counts["total"] += 1
        counts[status if status in UNIT_COLUMNS else "not_checkable"] += 1
    for sev, n in severity_counts(result.cells, getattr(result, "groups", [])).items():
        counts[sev] = counts.get(sev, 0) + n
    return counts


# ------------------------------------------------------------------ papers

def paper_identity(paper: str, lang: str) -> dict:
    """How the paper names itself: title as printed (sentence case kept from the catalog's original), with
    a translation unless the edition is in the paper's language; authors, journal, DOI or 'not printed'."""
    meta = ds.papers()[paper]
    original = meta["language"]
    title_original = label(f"paper.{paper}.title", original, default=meta["title_printed"])
    translation = label(f"paper.{paper}.title", lang, default="") if lang != original else ""
    doi = meta["doi_printed"]
    url = ("https://" + doi.removeprefix("https://").removeprefix("http://")) if doi else ""
    if url and not url.startswith("https://doi.org/"):
        url = "https://doi.org/" + doi
    return {"id": paper, "name": render("report.paper", lang, {"paper": paper}), "lang": original,
            "title": title_original, "title_printed": meta["title_printed"], "translation": translation,
            "authors": meta["authors_printed"].replace(";", ",") if meta["authors_printed"] else "",
            "journal": meta["journal_printed"], "doi": doi, "doi_url": url}


def table_name(result, lang: str) -> str:
    """'Paper 004 · Table 3': never two 'Table 1's without their paper."""
    papers = " · ".join(render("report.paper", lang, {"paper": p}) for p in result.paper.split("+"))
    number = re.search(r"\d+", label(f"table.{result.id}.title", "en"))
    if result.id == "prose" or number is None:
        return f"{papers}, {short_title(result.id, lang)}"
    # «Статья 004, таблица 3»: lower case after the comma (the catalog's phrase, not a capitalised label)
    return render("report.table_in_paper", lang, {"paper": papers, "n": number.group(0)})


def short_title(table_id: str, lang: str) -> str:
    """'Table 3' / 'Таблица 3' / '3-кесте': the paper's table number in the edition's style."""
    number = re.search(r"\d+", label(f"table.{table_id}.title", "en"))
    if table_id == "prose" or number is None:
        return label(f"table.{table_id}.title", lang)
    return render("report.table_short", lang, {"n": number.group(0)})


# ------------------------------------------------------------------ verdict page

def verdicts(results, lang: str, heads: dict[str, list[str]]) -> list[dict]:
    """Per paper: its identity, its findings from the gravest severity down (each with the certainty and
    the assumptions it rests on), what follows for its conclusions, and a recommendation."""
    out = []
    for paper in ds.papers():
        tables = [t for t in results if paper in t.paper.split("+")]
        findings: list[dict] = []
        detailed: set[str] = set()  # a table's computed headlines follow its first (gravest) finding only
        for sev in SEVERITIES + ("unclassified",):
            for t in tables:
                hit = [(key, cells) for key, cells in units(t).items() if unit_verdict(cells)[1] == sev]
                if t.paper != paper:  # the prose table spans both papers: count this paper's numbers only
                    hit = [(key, cells) for key, cells in hit if key[0].startswith(f"p{paper}.")]
                if not hit:
                    continue
                total = sum(1 for key in units(t) if t.paper == paper or key[0].startswith(f"p{paper}."))
                names = list(dict.fromkeys(a for _, cells in hit for c in cells for a in c.assumptions))
                unit = UNITS.get(t.id, "cells")
                findings.append({
                    "severity": sev, "table": short_title(t.id, lang), "id": t.id,
                    "count": render("verdict.count", lang, {"count": plural(f"report.unit.{unit}", lang, len(hit)),
                                                            "total": total}),
                    "certainty": render(f"verdict.certainty.{sev}", lang, {
                        "assumptions": "; ".join(assumption_text(a, lang) for a in names)}),
                    "details": heads.get(t.id, []) if t.paper == paper and t.id not in detailed else [],
                })
                detailed.add(t.id)
        worst = findings[0]["severity"] if findings else "none"
        out.append({"paper": paper_identity(paper, lang), "findings": findings,
                    "follows": label(f"verdict.follows.{worst}", lang),
                    "recommendation": label(f"verdict.recommend.{worst}", lang)})
    return out


def counts(results, lang: str) -> list[dict]:
    """Count tables per paper (never a total across papers), in units a reader can weigh."""
    out: list[dict] = []
    for paper in ds.papers():
        rows = []
        for t in results:
            if t.paper != paper:
                continue
            unit = UNITS.get(t.id, "cells")
            rows.append({"id": t.id, "table": short_title(t.id, lang), "unit": label(f"report.unit_name.{unit}", lang),
                         "counts": table_counts(t)})
        out.append({"paper": render("report.paper", lang, {"paper": paper}), "rows": rows})
    prose = next((t for t in results if t.id == "prose"), None)
    if prose is not None:  # the prose numbers, per paper, as a row of each paper's count table
        for paper, block in zip(ds.papers(), out):
            cells = [c for c in prose.cells if c.row.startswith(f"p{paper}.")]
            if cells:
                from repro.verdict import TableResult

                part = TableResult("prose", paper, prose.columns, cells,
                                   groups=[g for g in prose.groups if g.row.startswith(f"p{paper}.")])
                block["rows"].append({"id": "prose", "table": label("table.prose.title", lang),
                                      "unit": label("report.unit_name.numbers", lang), "counts": table_counts(part)})
    return out


# ------------------------------------------------------------------ tables in their printed shape

_NUMBER = re.compile(r"^(\s*-?\d+)([,.]\s?)?(\d*)(.*)$")


def _align(texts: list[str]) -> list[str]:
    """Pad numbers on the right with figure spaces (and a punctuation space for a missing decimal
    separator), so that right-aligned cells line up on the decimal separator."""
    parsed = [m for m in (_NUMBER.match(t) for t in texts) if m is not None]
    if len(parsed) < len(texts) or not texts:
        return texts
    decimals = max(len(m.group(3)) for m in parsed)
    tail = max(len(m.group(4)) for m in parsed)
    out = []
    for text, m in zip(texts, parsed):
        pad = "\u2007" * (decimals - len(m.group(3))) + ("" if m.group(2) or not decimals else "\u2008")
        out.append(text + pad + "\u2007" * (tail - len(m.group(4))))
    return out


def grid(result, lang: str) -> dict:
    """The table in its printed shape: one line per printed row; each cell its published text (numbers
    aligned on the decimal separator), its status, and the computed value where it differs."""
    columns = [col for col in result.columns if any(c.column == col for c in result.cells)]
    rows = list(dict.fromkeys(c.row for c in result.cells))
    by_key = {(c.row, c.column): c for c in result.cells}
    numeric = any(isinstance(c.reproduced, float) for c in result.cells)
    shown: dict[tuple, dict] = {}
    for col in columns:
        cells = [by_key.get((row, col)) for row in rows]
        texts = [cell_text(c, lang) for c in cells if c]
        aligned = iter(_align(texts) if numeric else texts)
        for row, c in zip(rows, cells):
            if c is None:
                continue
            computed = ""
            if c.status not in ("reproduced",) and isinstance(c.reproduced, float):
                computed = fmt_bounded(c.reproduced, lang, c.decimals + 1)
            shown[(row, col)] = {"published": next(aligned), "status": c.status, "mark": STATUS_MARKS[c.status],
                                 "computed": computed, "severity": severity(c) or ""}
    heads = [column_label(result.id, col, lang) for col in columns]
    two_level = result.id == "B4"
    groups: list[dict] = []
    if two_level:  # "dimension W | dimension p": the dimension spans its two columns
        for col in columns:
            dim = col.rpartition(" ")[0]
            if groups and groups[-1]["key"] == dim:
                groups[-1]["span"] += 1
            else:
                groups.append({"key": dim, "label": label("dim." + dim, lang), "span": 1})
        heads = [col.rpartition(" ")[2] for col in columns]
    label_lengths = [len(row_display(result.id, row, lang)) for row in rows]
    body_lengths = [max((len(s["published"]) for (r, c), s in shown.items() if c == col), default=3) for col in columns]
    return {"columns": heads, "groups": groups, "numeric": numeric,
            "widths": column_widths([max(label_lengths, default=3)] + body_lengths, lang),
            "rows": [{"label": row_display(result.id, row, lang), "cells": [shown.get((row, col)) for col in columns]}
                     for row in rows]}


def column_widths(lengths: list[int], lang: str) -> list[float]:
    """Percent widths: each column after the square root of its longest text (3..40 characters); Kazakh,
    which WeasyPrint cannot hyphenate, gives its long-word columns a larger share."""
    power = 0.62 if lang == "kk" else 0.5
    weights = [min(max(n, 3), 40) ** power for n in lengths]
    return [round(100 * w / sum(weights), 1) for w in weights]


# ------------------------------------------------------------------ appendix: reasons

def _where(result, cell, lang: str) -> str:
    if result.id == "prose":
        figure = ds.prose_figures().get(cell.row, {})
        return label(f"section.{figure.get('section', '')}", lang, default=figure.get("section", cell.row))
    return f"{row_display(result.id, cell.row, lang)} · {column_label(result.id, cell.column, lang)}"


def reason_groups(result, lang: str) -> list[dict]:
    """The cells not reproduced, in compact tables: cells of one reason kind (same catalog key, status and
    severity) form one group, stated by the first cell's reason ('e.g. …'), whose rows give each cell's place,
    printed and computed value; a reason said word for word by many cells is one row naming them all."""
    groups: dict[tuple, list] = {}
    for c in result.cells:
        if c.status == "reproduced":
            continue
        groups.setdefault((c.status, severity(c) or "", c.reason.key), []).append(c)
    out = []
    for (status, sev, key), cells in groups.items():
        reasons = Counter(reason_text(c, lang) for c in cells)
        if len(reasons) == 1 and len(cells) > 2:  # one reason for many cells: name them together
            rows: list[dict] = [{"where": _cells_named(result, cells, lang), "published": "", "computed": "",
                     "mark": STATUS_MARKS[status]}]
        else:
            rows = [{"where": _where(result, c, lang), "published": cell_text(c, lang),
                     "computed": _computed(c, lang), "mark": STATUS_MARKS[status],
                     "numeric": bool(_NUMBER.match(cell_text(c, lang)))} for c in cells]
        # one table row per reason kind: the reason (and the assumptions once after it: reason_text would add
        # them too), beside its cells run together as "place: printed → computed"
        out.append({"status": status, "severity": sev, "key": key, "reason": text_of(cells[0].reason, lang),
                    "example": len(reasons) > 1, "rows": rows, "count": len(cells),
                    "assumptions": [assumption_text(a, lang) for a in dict.fromkeys(a for c in cells for a in c.assumptions)]})
    return out


def _computed(cell, lang: str) -> str:
    value = cell.reproduced if isinstance(cell.reproduced, float) else cell.nearest
    if not isinstance(value, float):
        return ""
    return fmt_bounded(value, lang, cell.decimals + 1)


def _cells_named(result, cells, lang: str) -> str:
    """Where a group of cells stands: per column, its rows run together ('Level: rows 1–3, 8')."""
    by_column: dict[str, list] = {}
    for cell in cells:
        by_column.setdefault(column_label(result.id, cell.column, lang), []).append(cell)
    parts = []
    for column, group in by_column.items():
        if all(c.row.isdigit() for c in group):
            rows = sorted({int(c.row) for c in group})
            parts.append(f"{column}: {plural('report.rows', lang, len(rows), {'list': compact(rows)})}")
        else:
            parts.extend(f"{column} «{cell_text(c, lang)}»" for c in group)
    return "; ".join(parts)


def compact(values) -> str:
    """[2, 3, 4, 7] -> '2–4, 7': integer lists as runs (:func:`repro.numfmt.integer_runs`), '' for none."""
    from repro.numfmt import integer_runs

    return integer_runs(values, empty="")


def wp_pairs(result, lang: str) -> list[dict]:
    """Table 4 as 21 pairs: printed W and p, p computed from W, W computed from p, and the pair's verdict."""
    rows = []
    for key, cells in units(result).items():
        by_stat = {c.column.rpartition(" ")[2]: c for c in cells}
        w, p = by_stat.get("W"), by_stat.get("p")
        status, sev = unit_verdict(cells)
        p_from_w, w_from_p = (_computed(p, lang) if p else ""), (_computed(w, lang) if w else "")
        # a pair that no (m, k) in the searched range makes agree has nothing computed: a dash, explained
        # under the table, rather than two empty cells beside a verdict
        none = status == "inconsistent" and not p_from_w and not w_from_p
        rows.append({"row": row_display(result.id, key[0], lang), "dim": label("dim." + key[1], lang),
                     "W": cell_text(w, lang) if w else "", "p": cell_text(p, lang) if p else "",
                     "p_from_W": "—" if none else p_from_w, "W_from_p": "—" if none else w_from_p, "none": none,
                     "status": status, "mark": STATUS_MARKS[status], "severity": sev or ""})
    return rows


def pair_groups(pairs: list[dict]) -> list[dict]:
    """Table 4's pairs (from :func:`wp_pairs`) by verdict, for the PDF's appendix: one group per (status,
    severity), gravest first, naming its pairs row by row ("1 Economic growth: Smart city, E-government").
    Their printed and computed W and p are in the table's grid; the browser keeps the pair-by-pair table."""
    order = {"inconsistent": 0, "not_checkable": 1, "within_rounding": 2, "reproduced": 3}
    groups: dict[tuple, dict] = {}
    for pair in pairs:
        group = groups.setdefault((pair["status"], pair["severity"]), {
            "status": pair["status"], "severity": pair["severity"], "mark": pair["mark"], "count": 0, "rows": {}})
        group["count"] += 1
        group["rows"].setdefault(pair["row"], []).append(pair["dim"] + (" (—)" if pair["none"] else ""))
    ranked = sorted(groups.values(), key=lambda g: (order.get(g["status"], 9),
                                                    SEVERITIES.index(g["severity"]) if g["severity"] in SEVERITIES else 9))
    return [dict(g, rows=[{"row": row, "dims": dims} for row, dims in g["rows"].items()]) for g in ranked]


def _inner_quotes(text: str, lang: str) -> str:
    """The paper's quotation marks inside a quote become the edition's inner marks (‘’ en, „“ kk/ru)."""
    inner = {"«": "‘", "»": "’", "“": "‘", "”": "’"} if lang == "en" else {"«": "„", "»": "“"}
    return "".join(inner.get(ch, ch) for ch in text)


def _prose_quote(row: str, lang: str) -> dict:
    """A prose figure's quote, set as a <q> in its paper's language (the edition's quotation marks)."""
    fig = ds.prose_figures().get(row, {})
    return {"text": _inner_quotes(fig.get("quote", ""), lang),
            "lang": ds.papers().get(fig.get("paper", ""), {}).get("language", lang)}


def prose_items(result, lang: str) -> list[dict]:
    """Every number stated in the papers' text: paper, place, printed figure, quote (in the paper's
    language, with its lang), status and reason."""
    figures = ds.prose_figures()
    papers = ds.papers()
    out = []
    for c in result.cells:
        fig = figures.get(c.row, {})
        paper = fig.get("paper", "")
        out.append({"paper": paper, "where": _where(result, c, lang), "published": cell_text(c, lang),
                    # the quote is set in the edition's outer marks («» kk/ru, “” en), so the paper's own
                    # marks inside it become the edition's inner ones („“ kk/ru, ‘’ en): one kind per language
                    "quote": _inner_quotes(fig.get("quote", ""), lang),
                    "quote_lang": papers.get(paper, {}).get("language", lang),
                    "status": c.status, "mark": STATUS_MARKS[c.status], "reason": reason_text(c, lang)})
    return out


# ------------------------------------------------------------------ appendix: inferences, reconstructions

def inferences(results, lang: str) -> dict:
    by_id = {t.id: t for t in results}
    out: dict = {}
    if "B2" in by_id:
        x = by_id["B2"].extra
        out["B2"] = [{"block": column_label("B2", b, lang), "text_n": x["text_n"].get(b, "—"),
                      "smallest": x["smallest_feasible_n"].get(b, "—"),
                      "counts": ", ".join(str(k) for k in x["counts"].get(b, [])),
                      "unique": render("ui.unique", lang, {"n": x["smallest_feasible_n"].get(b, "—")})
                      if x["counts_unique"].get(b) else label("ui.not_unique", lang)}
                     for b in x["smallest_feasible_n"] if b in x["text_n"]]
    if "B3" in by_id:
        x = by_id["B3"].extra
        rows = []
        for r in x["rows"]:
            # no closest dataset here: no cell is judged by one (#13 item 1), and showing it would suggest a
            # row it cannot produce; the row's verdict is its severity as the cells carry it (row_severity),
            # never the engine's reconstruction_status word
            example = [tuple(float(v) for v in ranking) for ranking in (r["example"] or [])]
            tally = sorted(Counter(example).items(), key=lambda item: (-item[1], item[0]))
            sev = r.get("row_severity")
            rows.append({
                "row": r["row"], "label": row_label("B3", str(r["row"]), lang),
                "rank_sum": fmt_number(r["rank_sum"], lang, 2), "rank_sum_ok": r["rank_sum_ok"],
                "granular": compact(r["granular_m"]) or label("ui.none", lang),
                "wp_m": compact(r.get("wp_m") or []) or label("ui.none", lang),
                "row_m": compact(r.get("row_m") or []) or label("ui.none", lang),
                "datasets": r["datasets"] or 0, "solution_m": compact(r["solution_m"] or []),
                "severity": sev or "",
                "is_example": bool(r["datasets"]),
                "example": [{"ranks": [fmt_number(v, lang, 1) for v in ranking], "experts": n} for ranking, n in tally],
                "example_m": len(example),
            })
        out["B3"] = rows
        out["B3_shared"] = b3_shared(x, lang)
    if "B4" in by_id:
        out["B4_shared"] = b4_shared(by_id["B4"].extra, lang)
    return out


def b3_shared(extra: dict, lang: str) -> str:
    """Table 3: how many rows agree at the one m that fits most rows."""
    n = extra["rows_consistent_at_shared_m"]
    return render("report.b3_shared", lang, {"m": extra["shared_m"], "total": len(extra["rows"]), "n": n,
                                            "n_units": plural("report.unit.rows", lang, n)})


def text_experts() -> int | None:
    from repro.numerals import parse_count

    return parse_count(ds.prose_figures()["p004.experts.methods"]["printed"])


def b4_shared(extra: dict, lang: str) -> str:
    """Table 4: the (m, k) that makes most W–p pairs agree, and the k and m the text states."""
    mk = extra["shared_mk"] or ("—", "—")
    n = extra["cells_consistent_at_shared_mk"]
    return render("report.b4_shared", lang, {"m": mk[0], "k": mk[1], "total": len(extra["feasible_mk"]), "n": n,
                                            "n_units": plural("report.unit.pairs", lang, n),
                                            "text_k": extra["text_k"], "text_m": text_experts()})


def headlines(results, lang: str) -> dict[str, list[str]]:
    """One or two computed sentences per numeric table: what the checks found, from the verification's own
    results (nothing here is written in advance)."""
    from repro.audit import M_RANGE

    by_id = {t.id: t for t in results}
    out: dict[str, list[str]] = {}
    if "B2" in by_id:
        t = by_id["B2"]
        x = t.extra
        blocks = [c for c in t.cells if c.column in x["smallest_feasible_n"] and c.row.isdigit()
                  and c.reason.key in ("reason.share_misfit", "reason.share_fits")]
        out["B2"] = [render("report.headline.B2", lang, {
            "bad": sum(c.status == "inconsistent" for c in blocks), "cells": len(blocks),
            "text_n": ", ".join(f"{column_label('B2', b, lang)}{NBSP}{n}" for b, n in x["text_n"].items()),
            "smallest": ", ".join(f"{column_label('B2', b, lang)}{NBSP}{x['smallest_feasible_n'][b]}"
                                  for b in x["text_n"])})]
    if "B3" in by_id:
        x = by_id["B3"].extra
        rows = x["rows"]
        m_text = text_experts()
        at_text = sum(1 for r in rows if m_text in (r["solution_m"] or []))
        out["B3"] = [render("report.headline.B3", lang, {
            "impossible": sum(not r["datasets"] for r in rows), "rows": len(rows),
            "lo": M_RANGE.start, "hi": M_RANGE.stop - 1, "text_m": m_text, "at_text": at_text,
            "bad_sum": sum(not r["rank_sum_ok"] for r in rows),
            "expected_sum": table3_shape()["table3_rank_sum"],
            "bad_sum_units": plural("report.unit.rows", lang, sum(not r["rank_sum_ok"] for r in rows)),
            "errors": sum(bool(r["decision_error"]) for r in rows),
            # the whole-row search reads p as the asymptotic chi-square p: say so beside its count
            "assuming": render("ui.assuming", lang, {"assumptions": label("assumption.p_asymptotic", lang)})}),
            b3_shared(x, lang)]
    if "B4" in by_id:
        out["B4"] = [b4_shared(by_id["B4"].extra, lang)]
    if "prose" in by_id:
        # one sentence per paper, never a count over both papers (#13 item 2)
        for paper in ds.papers():
            cells = [c for c in by_id["prose"].cells if c.row.startswith(f"p{paper}.")]
            if cells:
                bad = sum(c.status == "inconsistent" for c in cells)
                out[f"prose.{paper}"] = [render("report.headline.prose" if bad else "report.headline.prose_none",
                                                lang, {"bad": bad, "total": len(cells)})]
    return out


# ------------------------------------------------------------------ figures

def ladder_figure(lang: str) -> str:
    """Paper 000's ladder against Arnstein's (SVG), in ``lang``."""
    from repro.figures import LadderRung, ladder_svg
    from repro.ladder import arnstein, paper_levels, published_ladder_rows, verify_ladder

    levels = {lv["level"]: lv for lv in paper_levels()}
    published = published_ladder_rows()
    swapped = set()
    for finding in verify_ladder().findings:
        if finding.kind == "reordered":
            swapped |= {finding.params["first"], finding.params["second"]}
    rows = [LadderRung(label(f"form.{r['form']}", lang), label(f"level.{r['level']}", lang),
                       int(levels[r["level"]]["arnstein_rung"]) if levels[r["level"]]["arnstein_rung"] else None,
                       r["added_by"], r["level"] in swapped) for r in published]
    rungs = [label(f"rung.{r['rung']}", lang, default=r["name"]) for r in arnstein()]
    return ladder_svg(rows, rungs, label("report.fig.arnstein", lang), label("report.fig.paper_ladder", lang),
                      render("finding.added_legend", lang,
                             {"refs": ", ".join(sorted({lv["added_by"] for lv in levels.values() if lv["added_by"]}))}),
                      label("report.fig.swapped", lang),
                      label("report.figure_ladder", lang), lang)


def figures(results, lang: str) -> dict[str, str]:
    """The SVG figures of one edition: ladder (A1), shares (B2), mean ranks (B3), W–p pairs (B4)."""
    from repro.figures import HeatCell, RankRow, WpCurve, WpPoint, heatmap_svg, mean_ranks_svg, wp_svg

    by_id = {t.id: t for t in results}
    out = {"A1": ladder_figure(lang)} if "A1" in by_id else {}
    if "B2" in by_id:
        from repro.datasets import TABLE2_BLOCKS, TABLE2_TOTAL

        columns = list(TABLE2_BLOCKS) + [TABLE2_TOTAL]
        cells = {(c.row, c.column): c for c in by_id["B2"].cells}
        body = list(ds.table2())
        gap = next((i for i, r in enumerate(body) if r.gap_before), None)
        grid_ = [[HeatCell(float(cells[(str(r.row), col)].value), cell_text(cells[(str(r.row), col)], lang),
                           cells[(str(r.row), col)].status) if (str(r.row), col) in cells else HeatCell(0.0, "", "")
                  for col in columns] for r in body]
        out["B2"] = heatmap_svg([str(r.row) for r in body], [column_label("B2", c, lang) for c in columns], grid_,
                                label("report.figure_heatmap", lang), label("report.fig.heat_legend", lang),
                                label("report.fig.share_key", lang), lang, gap)
    if "B3" in by_id:
        status = {(c.row, c.column): c.status for c in by_id["B3"].cells}
        rows = [RankRow(row_label("B3", str(r.row), lang) or r.indicator, [float(x.number) for x in r.ranks],
                        f"W{NBSP}={NBSP}{r.W.text.strip()}", f"p{NBSP}={NBSP}{r.p.text.strip()}",
                        status.get((str(r.row), "W")) == "inconsistent", status.get((str(r.row), "p")) == "inconsistent",
                        any(status.get((str(r.row), f"rank_{j}")) == "inconsistent" for j in range(1, len(r.ranks) + 1)))
                for r in ds.table3()]
        out["B3"] = mean_ranks_svg(rows, [column_label("B3", f"rank_{j}", lang)
                                          for j in range(1, table3_shape()["table3_k"] + 1)],
                                   label("ui.mean_ranks", lang), label("report.figure_ranks", lang),
                                   label("report.legend_inconsistent", lang), lang)
    if "B4" in by_id:
        from repro.figures import chi2_sf

        x = by_id["B4"].extra
        shared = tuple(x["shared_mk"]) if x["shared_mk"] else None
        # a pair agrees at the shared (m, k) when both its cells are reproduced or within rounding there
        pair_ok = {key: unit_verdict(cells)[0] in ("reproduced", "within_rounding")
                   for key, cells in units(by_id["B4"]).items()}
        pts = [WpPoint(float(r.W.number), float(r.p.number), pair_ok.get((str(r.row), r.dimension), False))
               for r in ds.table4()]
        m_text, k_text = text_experts(), x["text_k"]
        candidates = []
        if shared:
            candidates.append((shared[0], shared[1], ""))
        if m_text and k_text:
            candidates.append((m_text, k_text, "6,3"))
        if m_text and shared and (m_text, shared[1]) != (m_text, k_text):
            candidates.append((m_text, shared[1], "2,2"))
        curves = []
        for m, k, dash in candidates:
            ws = [i / 80 for i in range(0, 49)]
            curves.append(WpCurve(f"m{NBSP}={NBSP}{m}, k{NBSP}={NBSP}{k}",
                                  [(w, chi2_sf(m * (k - 1) * w, k - 1)) for w in ws], dash))
        out["B4"] = wp_svg(pts, curves, "W", "p", label("report.figure_wp", lang),
                           render("report.fig.wp_fit", lang, {"m": shared[0] if shared else "—",
                                                             "k": shared[1] if shared else "—"}),
                           label("report.fig.wp_misfit", lang), lang)
    return out


# ------------------------------------------------------------------ the edition

def edition_context(lang: str, results, command: str = "repro report", figures_: dict[str, str] | None = None) -> dict:
    """Everything one language's edition shows, computed once for its HTML and its PDF."""
    from markupsafe import Markup

    from repro import __version__
    from repro.paper004 import text_judgments_per_block
    from repro.provenance import INSTALL, report_date, versions_text

    heads = headlines(results, lang)
    blocks = counts(results, lang)
    # unrated inconsistencies show only when the cell model left some without a severity
    used = [c for c in FINDING_COLUMNS
            if c != "unclassified" or any(r["counts"][c] for b in blocks for r in b["rows"])]
    tables = []
    for t in results:
        oddities = sorted((f for f in t.findings if f["kind"].startswith("oddity.")),
                          key=lambda f: int(f["params"].get("row") or 0) if str(f["params"].get("row") or "0").isdigit() else 0)
        key_findings = [finding_text(f, lang) for f in t.findings if not f["kind"].startswith("oddity.")]
        tables.append({
            "id": t.id, "paper": t.paper, "title": label(f"table.{t.id}.title", lang),
            "name": table_name(t, lang), "grid": grid(t, lang) if t.id != "prose" else None,
            "findings": key_findings, "heads": heads.get(t.id, []),
            "oddities": [finding_text(f, lang) for f in oddities],
            "reasons": reason_groups(t, lang) if t.id not in ("B4", "prose") else [],
            "pairs": wp_pairs(t, lang) if t.id == "B4" else [],
            "pair_groups": pair_groups(wp_pairs(t, lang)) if t.id == "B4" else [],
            "prose": prose_items(t, lang) if t.id == "prose" else [],
            "cells": [{"row": row_display(t.id, c.row, lang) if t.id != "prose" else "",
                       "quote": _prose_quote(c.row, lang) if t.id == "prose" else None,
                       "column": column_label(t.id, c.column, lang),
                       "published": cell_text(c, lang), "status": c.status, "mark": STATUS_MARKS[c.status],
                       "reason": reason_text(c, lang), "computed": _computed(c, lang)} for c in t.cells],
            "running": f"{table_name(t, lang)}",
        })
    figures_ = figures_ if figures_ is not None else figures(results, lang)
    date = report_date()
    return dict(
        lang=lang, languages=LANGUAGES, t=lambda key: label(key, lang), label=label,
        render=lambda key, **kw: render(key, lang, kw), plural=lambda key, n, **kw: plural(key, lang, n, kw),
        verdicts=verdicts(results, lang, heads), counts=blocks, heads=heads, unit_columns=list(UNIT_COLUMNS), finding_columns=used,
        tables=tables, figures={key: Markup(svg) for key, svg in figures_.items()},
        figure_image=lambda key: figure_image(figures_[key]),
        inferences=inferences(results, lang), marks=STATUS_MARKS,
        weights=", ".join(f"{block}{NBSP}{n}" for block, n in text_judgments_per_block().items()),
        hashes=ds.dataset_hashes(), version=__version__, versions=versions_text(), command=command,
        install=INSTALL, created=date, date=date[:10], shared_mk=shared_mk(results), **table3_shape())


def figure_image(svg: str) -> dict:
    """A figure as the PDF embeds it: the same SVG as an image (a data: URL), its <title> as the alternative
    text (what WeasyPrint's PDF/UA tags take from an inline SVG's title) and its size. WeasyPrint draws it as it
    draws the inline SVG, fonts included, but an inline SVG's elements would also go through the HTML parser
    and the CSS cascade of the page (about 6 % of an edition's work, for nothing)."""
    import base64
    from xml.etree import ElementTree

    root = ElementTree.fromstring(svg)
    title = root.find("{http://www.w3.org/2000/svg}title")
    return {"src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
            "alt": "".join(title.itertext()) if title is not None else "",
            "width": root.get("width"), "height": root.get("height")}


def table3_shape() -> dict:
    """Table 3's items per row (k, read from datasets/) and how many rankings of them one expert can give once
    ties are allowed (counted by repro.weak_orders): the methods text states both, never types them."""
    from repro.weak_orders import weak_orders

    k = len(ds.table3()[0].ranks)
    subscript = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return {"table3_k": k, "table3_orders": len(weak_orders(k)), "table3_rank_sum": k * (k + 1) // 2,
            "rank_heads": [f"R{str(j).translate(subscript)}" for j in range(1, k + 1)]}


def shared_mk(results) -> tuple:
    """Table 4's fitted (m, k) as the methods text states it ("—" when Table 4 is not among the results)."""
    b4 = next((t for t in results if t.id == "B4"), None)
    return tuple(b4.extra.get("shared_mk") or ("—", "—")) if b4 is not None else ("—", "—")
