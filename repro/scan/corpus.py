"""A seeded generator of synthetic manuscripts (kk, ru, en) with planted results, for testing ``repro scan``.

Each manuscript mixes, in varied wording and layout:

* **planted results**, consistent or not: prose statements of Kendall's W with chi-square, df,
  p, m and k in one sentence; tables of mean ranks with W and p (k = 3, from simulated rankings);
  tables that print W over p per column (one m and k for the table); share tables with N printed;
* **distractors** that must not be audited: correlations and t-tests with their p, Shapiro–Wilk W,
  years, page references, percentages, a table of percentages that are not shares.

Planted inconsistencies are of kinds the statement itself can show: a p that the printed W (or
chi-square) with the printed m and k cannot give; a chi-square other than m (k − 1) W; a mark
``*`` on p > 0.05; mean ranks that do not sum to k (k + 1) / 2; a p off the table's shared (m, k);
a share that is no k/N. Writers: :func:`write_txt`, :func:`write_html`, :func:`write_pdf`
(WeasyPrint, as the report), :func:`write_docx` (python-docx, tables as DOCX tables).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGS = ("kk", "ru", "en")


@dataclass
class Planted:
    """One planted result: the figures as printed, and whether they hold together."""

    id: str
    kind: str  # prose | rank_row | w_over_p | share
    printed: dict[str, str]
    consistent: bool
    defect: str = ""


@dataclass
class Block:
    kind: str  # para | table | caption | note
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


@dataclass
class Manuscript:
    name: str
    lang: str
    blocks: list[Block]
    planted: list[Planted]
    distractors: list[str]


def _fmt(x: float, decimals: int, comma: bool, leading_zero: bool = True) -> str:
    text = f"{x:.{decimals}f}"
    if not leading_zero and text.startswith("0."):
        text = text[1:]
    return text.replace(".", ",") if comma else text


def _p_text(p: float, comma: bool, leading_zero: bool, rng: random.Random) -> tuple[str, str]:
    """(comparator, value) as a paper prints p."""
    if p < 0.001:
        return "<", _fmt(0.001, 3, comma, leading_zero)
    return "=", _fmt(p, 3, comma, leading_zero)


def _chi2_sf(x: float, df: int) -> float:
    from repro.kendall import chi2_sf

    return chi2_sf(x, df)


# ------------------------------------------------------------------------------ wording

PROSE = {
    "en": [
        "Agreement among the {m} experts ranking {k} items was {adj}: Kendall's W = {W}, χ²({df}) = {chi2}, p {pc} {p}.",
        "The coefficient of concordance was W = {W} (n = {m} experts, {k} criteria), χ² = {chi2}, p {pc} {p}.",
        "Friedman's test gave χ²({df}, N = {m}) = {chi2}, p {pc} {p}; Kendall's W = {W} across {k} items.",
        "For this block, {m} raters and {k} alternatives: W={W}, p{pc}{p}, df = {df}.",
        "Kendall's coefficient of concordance was {W} ({m} experts, {k} criteria; χ2({df}) = {chi2}, p {pc} {p}).",
    ],
    "ru": [
        "Согласованность мнений {m} экспертов по {k} критериям {adj}: коэффициент конкордации W = {W}, χ² = {chi2}, р {pc} {p}.",
        "Коэффициент конкордации Кендалла W = {W} (n = {m} экспертов, {k} показателей); хи-квадрат = {chi2}; ст. св. = {df}; р {pc} {p}.",
        "По критерию Фридмана для {k} объектов и {m} экспертов получено χ2({df}) = {chi2}, p {pc} {p}, W = {W}.",
        "Коэффициент конкордации составил {W} при {m} экспертах и {k} критериях (хи-квадрат = {chi2}; р {pc} {p}).",
    ],
    "kk": [
        "{m} сарапшы {k} көрсеткішті бағалады: Кендаллдың W = {W}, χ² = {chi2}, p {pc} {p}.",
        "Конкордация коэффициенті W = {W} (n = {m} сарапшы, {k} айнымалы), хи-квадрат = {chi2}, р {pc} {p}.",
        "Фридман критерийі бойынша {m} сарапшы мен {k} объект үшін χ2({df}) = {chi2}, p {pc} {p}; W = {W}.",
        "Кендаллдың келісім коэффициенті {W} болды ({m} сарапшы, {k} көрсеткіш; χ2({df}) = {chi2}; р {pc} {p}).",
    ],
}
ADJ = {"en": ["moderate", "weak", "strong"], "ru": ["умеренная", "слабая", "высокая"], "kk": [""] * 3}
FILLER = {
    "en": ["The survey was carried out in {year} in three cities.",
           "Experts received the questionnaire by e-mail (see p. {page}).",
           "About {pct}% of the invited experts answered the second round.",
           "The model follows the framework described in Section {sec}."],
    "ru": ["Опрос проводился в {year} году в трёх городах.",
           "Анкета рассылалась по электронной почте (см. с. {page}).",
           "Около {pct}% приглашённых экспертов ответили во втором туре.",
           "Модель описана в разделе {sec}."],
    "kk": ["Сауалнама {year} жылы үш қалада жүргізілді.",
           "Сауалнама электронды пошта арқылы жіберілді ({page}-бет).",
           "Шақырылған сарапшылардың шамамен {pct}% екінші кезеңде жауап берді.",
           "Модель {sec}-бөлімде сипатталған."],
}
DISTRACTORS = {
    "en": ["The correlation between the two rounds was r = {r}, p = {p}.",
           "A paired t-test gave t({df}) = {t}, p = {p}.",
           "Normality was rejected (Shapiro–Wilk W = {W}, p = {p}).",
           "Cronbach's α = {r} in {year}."],
    "ru": ["Корреляция между турами составила r = {r}, р = {p}.",
           "Парный t-тест Стьюдента: t({df}) = {t}, р = {p}.",
           "Нормальность отвергнута (критерий Шапиро–Уилка W = {W}, р = {p}).",
           "Альфа Кронбаха равна {r} ({year})."],
    "kk": ["Екі кезең арасындағы корреляция r = {r}, p = {p}.",
           "Жұптық t-тест: t({df}) = {t}, p = {p}.",
           "Қалыптылық жоққа шығарылды (Шапиро–Уилк W = {W}, p = {p}).",
           "Кронбах альфасы {r} ({year})."],
}
CAPTION = {"en": "Table", "ru": "Таблица", "kk": "Кесте"}
RANK_CAPTION = {"en": "Mean ranks, Kendall's W and p", "ru": "Средние ранги, W Кендалла и p",
                "kk": "Орташа рангтер, Кендаллдың W және p"}
WP_CAPTION = {"en": "Kendall's W and p by dimension", "ru": "Значения W и p Кендалла по измерениям",
              "kk": "Өлшемдер бойынша Кендаллдың W және p мәндері"}
SHARE_CAPTION = {"en": "Shares of \"equally important\" answers (N = {n} comparisons)",
                 "ru": "Доли ответов «одинаково важно» (N = {n} сравнений)",
                 "kk": "«Бірдей маңызды» жауаптарының үлестері (N = {n} салыстыру)"}
PCT_CAPTION = {"en": "Respondents by age, per cent", "ru": "Распределение респондентов по возрасту, %",
               "kk": "Респонденттердің жас бойынша бөлінуі, %"}
NOTE = {"en": "Note: survey data.", "ru": "Примечание: данные опроса.", "kk": "Ескертпе: сауалнама деректері."}
ROW_LABELS = {"en": ["Economic growth", "Policy making", "Citizen engagement", "Accountability", "Interaction",
                     "Smart services"],
              "ru": ["Экономический рост", "Разработка политики", "Вовлечение граждан", "Подотчётность",
                     "Взаимодействие", "Умные сервисы"],
              "kk": ["Экономикалық өсу", "Саясатты әзірлеу", "Азаматтарды тарту", "Жауапкершілік",
                     "Өзара әрекеттестік", "Ақылды қызметтер"]}
ITEMS = {"en": "Item", "ru": "Показатель", "kk": "Көрсеткіштер"}


# ------------------------------------------------------------------------------ planting

def _prose_result(rng: random.Random, lang: str, pid: str, defect: str) -> tuple[str, Planted]:
    comma = lang != "en" and rng.random() < 0.85
    leading = lang != "en" or rng.random() < 0.5
    m, k = rng.randint(6, 40), rng.randint(3, 8)
    template = rng.choice(PROSE[lang])
    if defect == "chi2" and "{chi2}" not in template:
        defect = "p"
    wdec = rng.choice((2, 3))
    W = round(rng.uniform(0.08, 0.75), wdec)
    chi2 = m * (k - 1) * W
    p = _chi2_sf(chi2, k - 1)
    if defect == "p":  # a p the printed W, m and k cannot give
        p = min(0.9, p * 8 + 0.2) if p < 0.05 else max(0.0002, p / 20)
    if defect == "chi2":  # a chi-square other than m (k - 1) W
        chi2 = chi2 * rng.choice((0.6, 1.5))
    pc, ptext = _p_text(p, comma, leading, rng)
    figures = {"W": _fmt(W, wdec, comma, leading), "chi2": _fmt(chi2, 2, comma), "p": ptext, "df": str(k - 1),
               "m": str(m), "k": str(k)}
    sentence = template.format(adj=rng.choice(ADJ[lang]), pc=pc, **figures).replace("  ", " ")
    printed = {name: value for name, value in figures.items() if "{" + name + "}" in template}
    if pc == "<":
        printed["p"] = "<" + ptext
    return sentence, Planted(pid, "prose", printed, not defect, defect)


def _rankings(rng: random.Random, m: int, k: int) -> list[list[int]]:
    strength = rng.uniform(0.0, 1.5)
    base = [rng.gauss(0, 1) for _ in range(k)]
    out = []
    for _ in range(m):
        scores = [b * strength + rng.gauss(0, 1) for b in base]
        order = sorted(range(k), key=lambda i: scores[i])
        ranks = [0] * k
        for r, i in enumerate(order, start=1):
            ranks[i] = r
        out.append(ranks)
    return out


def _row_summary(data, m: int, k: int) -> tuple[list[float], float, float]:
    """Mean ranks, untied W and asymptotic p of generated rankings (computed here, independently of the
    library under test)."""
    sums = [sum(row[j] for row in data) for j in range(k)]
    S = sum((s - m * (k + 1) / 2) ** 2 for s in sums)
    W = 12 * S / (m * m * (k ** 3 - k))
    return [s / m for s in sums], W, _chi2_sf(m * (k - 1) * W, k - 1)


def _rank_table(rng: random.Random, lang: str, number: int, prefix: str, defects: list[str]):
    comma = lang != "en"
    k = 3
    m = rng.randint(8, 20)
    rows, planted = [], []
    for r, defect in enumerate(defects):
        ranks, W, p = _row_summary(_rankings(rng, m, k), m, k)
        if defect == "rank_sum":  # mean ranks that cannot sum to k (k + 1) / 2, each still within 1..k
            ranks[ranks.index(min(ranks))] += 0.3
        mark = ""
        if defect == "mark":  # a significance mark on p > 0.05
            while p <= 0.06:
                ranks, W, p = _row_summary(_rankings(rng, m, k), m, k)
            mark = "*"
        elif p < 0.05:
            mark = "*"
        texts = [_fmt(x, 2, comma) for x in ranks] + [_fmt(W, 3, comma), _fmt(p, 3, comma) + mark]
        label = ROW_LABELS[lang][r % len(ROW_LABELS[lang])]
        rows.append([label] + texts)
        printed = {f"mean_rank_{j}": texts[j - 1] for j in range(1, k + 1)}
        printed.update({"W": texts[k], "p": texts[k + 1]})
        planted.append(Planted(f"{prefix}.r{r + 1}", "rank_row", printed, not defect, defect))
    header = [ITEMS[lang], "A", "B", "C", "W", "p"]
    blocks = [Block("caption", f"{CAPTION[lang]} {number}"), Block("caption", RANK_CAPTION[lang]),
              Block("table", rows=rows, header=header), Block("note", NOTE[lang])]
    return blocks, planted


def _wp_table(rng: random.Random, lang: str, number: int, prefix: str, defects: list[str]):
    comma = lang != "en"
    m, k = rng.randint(8, 25), rng.randint(4, 9)
    columns = 3
    rows, planted = [], []
    for r, defect in enumerate(defects):
        Ws, ps = [], []
        for c in range(columns):
            W = round(rng.uniform(0.02, 0.5), 3)
            p = _chi2_sf(m * (k - 1) * W, k - 1)
            if defect and c == 1:
                p = min(0.95, p * 6 + 0.25) if p < 0.2 else max(0.001, p / 30)
            Ws.append(_fmt(W, 3, comma))
            ps.append(_fmt(p, 3, comma) if p >= 0.001 else "<" + _fmt(0.001, 3, comma))
        rows.append([ROW_LABELS[lang][r % len(ROW_LABELS[lang])]] + [f"{w}\n{p}" for w, p in zip(Ws, ps)])
        for c in range(columns):
            bad = bool(defect) and c == 1
            planted.append(Planted(f"{prefix}.r{r + 1}.c{c + 1}", "w_over_p", {"W": Ws[c], "p": ps[c]}, not bad,
                                   "p_off_table_mk" if bad else ""))
    header = [ITEMS[lang], "E1", "E2", "E3"]
    blocks = [Block("caption", f"{CAPTION[lang]} {number}"), Block("caption", WP_CAPTION[lang]),
              Block("table", rows=rows, header=header), Block("note", NOTE[lang])]
    return blocks, planted


def _share_table(rng: random.Random, lang: str, number: int, prefix: str, defects: list[str]):
    n = rng.choice((27, 36, 45))
    comma = lang != "en"
    rows, planted = [], []
    for r, defect in enumerate(defects):
        row = []
        for c in range(3):
            value = rng.randint(1, n - 1) / n
            if defect and c == 0:
                # a share no k/N gives at two decimals
                grid = {round(j / n, 2) for j in range(n + 1)}
                value = next(v / 100 for v in range(int(value * 100), 100) if round(v / 100, 2) not in grid)
            text = _fmt(value, 2, comma)
            if comma and rng.random() < 0.1:
                text = text.replace(",", ", ")  # the stray space of paper 004's "0, 68"
            row.append(text)
            planted.append(Planted(f"{prefix}.r{r + 1}.c{c + 1}", "share", {"share": text}, not (defect and c == 0),
                                   "share_not_k_over_n" if defect and c == 0 else ""))
        rows.append(row)
    blocks = [Block("caption", f"{CAPTION[lang]} {number}"), Block("caption", SHARE_CAPTION[lang].format(n=n)),
              Block("table", rows=rows, header=["E1", "E2", "E3"]), Block("note", NOTE[lang])]
    return blocks, planted


HEADER_CAPTION = {"en": "Agreement by round", "ru": "Согласованность по турам", "kk": "Кезеңдер бойынша келісім"}
HEADER_COLUMNS = {"en": ["Round", "n", "W", "χ²", "df", "p"], "ru": ["Тур", "n", "W", "χ²", "ст. св.", "р"],
                  "kk": ["Кезең", "n", "W", "χ²", "df", "p"]}


def _header_table(rng: random.Random, lang: str, number: int, prefix: str, defects: list[str]):
    """A table whose header names its columns (n, W, χ², df, p), one test per row."""
    comma = lang != "en"
    k = rng.randint(3, 7)
    rows, planted = [], []
    for r, defect in enumerate(defects):
        m = rng.randint(8, 40)
        W = round(rng.uniform(0.08, 0.7), 2)
        chi2 = m * (k - 1) * W
        p = _chi2_sf(chi2, k - 1)
        if defect == "p":
            p = min(0.9, p * 8 + 0.2) if p < 0.05 else max(0.0002, p / 20)
        elif defect == "chi2":
            chi2 *= rng.choice((0.6, 1.5))
        pc, ptext = _p_text(p, comma, True, rng)
        printed = {"m": str(m), "W": _fmt(W, 2, comma), "chi2": _fmt(chi2, 2, comma), "df": str(k - 1),
                   "p": ("<" if pc == "<" else "") + ptext}
        rows.append([f"{r + 1}"] + [printed[f] for f in ("m", "W", "chi2", "df", "p")])
        planted.append(Planted(f"{prefix}.r{r + 1}", "header_row", printed, not defect, defect))
    blocks = [Block("caption", f"{CAPTION[lang]} {number}"), Block("caption", HEADER_CAPTION[lang]),
              Block("table", rows=rows, header=HEADER_COLUMNS[lang]), Block("note", NOTE[lang])]
    return blocks, planted


def _pct_table(rng: random.Random, lang: str, number: int):
    rows = [[f"{a}–{a + 9}", f"{rng.randint(5, 60)}%", f"{rng.randint(5, 60)}%"] for a in (20, 30, 40)]
    return [Block("caption", f"{CAPTION[lang]} {number}"), Block("caption", PCT_CAPTION[lang]),
            Block("table", rows=rows, header=["", "2019", "2021"]), Block("note", NOTE[lang])]


def _distractor(rng: random.Random, lang: str) -> str:
    comma = lang != "en"
    return rng.choice(DISTRACTORS[lang]).format(r=_fmt(rng.uniform(0.1, 0.9), 2, comma), p=_fmt(rng.uniform(0.001, 0.2), 3, comma),
                                                df=rng.randint(10, 40), t=_fmt(rng.uniform(1, 4), 2, comma),
                                                W=_fmt(rng.uniform(0.85, 0.99), 2, comma), year=rng.randint(1995, 2024))


def _filler(rng: random.Random, lang: str) -> str:
    return rng.choice(FILLER[lang]).format(year=rng.randint(1995, 2024), page=rng.randint(2, 300),
                                           pct=rng.randint(10, 95), sec=rng.randint(2, 6))


def manuscript(seed: int, lang: str, name: str | None = None) -> Manuscript:
    """One synthetic manuscript: 36 planted results (about a quarter inconsistent) and 2–6 distractors."""
    rng = random.Random(f"{seed}-{lang}")
    blocks: list[Block] = []
    planted: list[Planted] = []
    distractors: list[str] = []
    number = 1

    def para(sentences: list[str]) -> None:
        blocks.append(Block("para", " ".join(sentences)))

    for section in range(3):
        sentences = [_filler(rng, lang)]
        for i in range(2):
            pid = f"s{section}.{i}"
            defect = rng.choice(("", "", "p", "chi2"))
            text, pl = _prose_result(rng, lang, pid, defect)
            sentences.append(text)
            planted.append(pl)
            if rng.random() < 0.7:
                d = _distractor(rng, lang)
                sentences.append(d)
                distractors.append(d)
            sentences.append(_filler(rng, lang))
        para(sentences)
        kind = ("rank", "wp", "share")[section]
        defects = [rng.choice(("", "", "", "mark" if kind == "rank" else "x", "rank_sum" if kind == "rank" else "x"))
                   for _ in range(3 if kind == "rank" else 4)]
        defects = ["" if d == "x" and kind == "rank" else d for d in defects]
        if kind == "rank":
            tb, pl = _rank_table(rng, lang, number, f"t{number}", defects)
        elif kind == "wp":
            tb, pl = _wp_table(rng, lang, number, f"t{number}", [d if d in ("", "x") else "" for d in defects])
        else:
            tb, pl = _share_table(rng, lang, number, f"t{number}", [d if d in ("", "x") else "" for d in defects])
        blocks.extend(tb)
        planted.extend(pl)
        number += 1
    tb, pl = _header_table(rng, lang, number, f"t{number}", [rng.choice(("", "", "p", "chi2")) for _ in range(3)])
    blocks.extend(tb)
    planted.extend(pl)
    number += 1
    blocks.extend(_pct_table(rng, lang, number))
    blocks.append(Block("para", _filler(rng, lang)))
    return Manuscript(name or f"synthetic_{seed}_{lang}", lang, blocks, planted, distractors)


# ------------------------------------------------------------------------------ writers

def to_text(ms: Manuscript) -> str:
    lines: list[str] = []
    for b in ms.blocks:
        if b.kind == "table":
            lines.append(" ".join(h for h in b.header if h))
            for row in b.rows:
                if any("\n" in c for c in row):  # W over p: two lines per row
                    lines.append(" ".join([row[0]] + [c.split("\n")[0] for c in row[1:]]))
                    lines.append(" ".join(c.split("\n")[1] for c in row[1:]))
                else:
                    lines.append(" ".join(row))
            lines.append("")
        else:
            lines.append(b.text)
            if b.kind == "para":
                lines.append("")
    return "\n".join(lines) + "\n"


def write_txt(ms: Manuscript, folder: Path) -> Path:
    path = Path(folder) / f"{ms.name}.txt"
    path.write_text(to_text(ms), encoding="utf-8")
    return path


def to_html(ms: Manuscript) -> str:
    parts = [f"<!DOCTYPE html><html lang='{ms.lang}'><head><meta charset='utf-8'><style>"
             "@page { size: A4; margin: 2cm; @bottom-center { content: counter(page); } } "
             "body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; } td, th { padding: 2px 10px; }"
             "</style></head><body>"]
    for b in ms.blocks:
        if b.kind == "table":
            parts.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in b.header) + "</tr>")
            for row in b.rows:
                parts.append("<tr>" + "".join(f"<td>{'<br>'.join(html.escape(x) for x in c.split(chr(10)))}</td>"
                                              for c in row) + "</tr>")
            parts.append("</table>")
        else:
            parts.append(f"<p>{html.escape(b.text)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def write_html(ms: Manuscript, folder: Path) -> Path:
    path = Path(folder) / f"{ms.name}.html"
    path.write_text(to_html(ms), encoding="utf-8")
    return path


def write_pdf(ms: Manuscript, folder: Path) -> Path:
    from weasyprint import HTML

    path = Path(folder) / f"{ms.name}.pdf"
    HTML(string=to_html(ms)).write_pdf(str(path))
    return path


def write_docx(ms: Manuscript, folder: Path) -> Path:
    import docx

    document = docx.Document()
    for b in ms.blocks:
        if b.kind == "table":
            table = document.add_table(rows=len(b.rows) + 1, cols=len(b.header))
            for j, h in enumerate(b.header):
                table.cell(0, j).text = h
            for i, row in enumerate(b.rows, start=1):
                for j, c in enumerate(row):
                    cell = table.cell(i, j)
                    first, *rest = c.split("\n")
                    cell.text = first
                    for extra in rest:  # W over p: a second paragraph in the cell
                        cell.add_paragraph(extra)
        else:
            document.add_paragraph(b.text)
    path = Path(folder) / f"{ms.name}.docx"
    document.save(str(path))
    return path


WRITERS = {"txt": write_txt, "html": write_html, "pdf": write_pdf, "docx": write_docx}


def corpus(seed: int, per_language: int = 2, langs: tuple[str, ...] = LANGS) -> list[Manuscript]:
    return [manuscript(seed + i, lang) for lang in langs for i in range(per_language)]


# ------------------------------------------------------------------------------ scoring

def score(ms: Manuscript, scan) -> dict[str, Any]:
    """Recall and precision of one scan on one manuscript's planted results; flags and distractors.

    A planted result is found when one finding carries all its printed figures (same texts);
    a finding is correct when it matches a planted result. ``flagged`` lists the planted
    inconsistencies with an inconsistent cell; ``false_alarms`` the consistent ones with one.
    """
    findings = []
    for t in scan.tables:
        for f in t.found:
            if f.kind not in ("test", "share"):
                continue
            texts = {k: v.text for k, v in f.figures.items() if not (k == "k" and f.qualifier == "row")}
            cells = [c for c in t.cells if c.row == f.row and (not f.column or c.column == f.column
                                                               or c.column.startswith(f.column + " "))]
            findings.append((texts, cells, f))
    matched_findings = set()
    found, flagged, false_alarms, missed = 0, [], [], []
    for pl in ms.planted:
        hit = None
        for i, (texts, cells, f) in enumerate(findings):
            if i in matched_findings:
                continue
            if all(texts.get(name) == value for name, value in pl.printed.items()):
                hit = i
                break
        if hit is None:
            missed.append(pl.id)
            continue
        matched_findings.add(hit)
        found += 1
        inconsistent = any(c.status == "inconsistent" for c in findings[hit][1])
        if not pl.consistent and inconsistent:
            flagged.append(pl.id)
        if pl.consistent and inconsistent:
            false_alarms.append(pl.id)
    extra = [findings[i][0] for i in range(len(findings)) if i not in matched_findings]
    inconsistent_planted = [pl.id for pl in ms.planted if not pl.consistent]
    return {"planted": len(ms.planted), "found": found, "findings": len(findings),
            "recall": found / len(ms.planted) if ms.planted else 1.0,
            "precision": (len(findings) - len(extra)) / len(findings) if findings else 1.0,
            "missed": missed, "extra": extra, "inconsistent": inconsistent_planted, "flagged": flagged,
            "false_alarms": false_alarms}
