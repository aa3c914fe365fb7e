"""The report's figures as SVG, text kept as text: the participation ladder (paper 000, Table 1), the
shares of Table 2, Table 3's mean ranks and Table 4's W–p pairs against the χ² curves.

Plain functions over plain data: the caller passes labels already in the reader's language and
numbers already formatted (Babel), so no label is written here. Every signal has a shape or a glyph
besides its colour (✗, dashed, marker shapes), so the figures read in grayscale; text on a fill is
black or white, whichever contrasts more (WCAG ratio ≥ 4.5:1 for any fill).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

# quoted family names: WeasyPrint's SVG renderer reads an unquoted list as one name
FONT = "'Report Sans', 'DejaVu Sans', sans-serif"
OUTLINE = {"inconsistent": "#b2182b", "not_checkable": "#8c6d00"}
INK = "#111111"
GRID = "#bbbbbb"
MIN_FONT = 11  # px of the figure's own coordinates; figures are never scaled below 0.82 (9 px)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of ``text`` in DejaVu Sans at ``size`` px, estimated per character class (within
    about 5 % for Latin and Cyrillic words), so labels can be fitted without measuring fonts."""
    width = 0.0
    for ch in text:
        if ch == " ":
            width += 0.318
        elif ch in ".,:;'!|il1[]()":
            width += 0.36
        elif ch.isdigit():
            width += 0.636
        elif ch.isupper():
            width += 0.72
        elif ch in "шщжмюыШЩЖМЮЫmwMW":
            width += 0.85
        else:
            width += 0.6
    return width * size * (1.09 if bold else 1.0)


def wrap(text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``max_width`` (a word longer than the
    line stands alone; the caller shrinks the size if that matters)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size, bold) <= max_width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def fit(text: str, max_width: float, max_lines: int, size: float, bold: bool = False) -> tuple[list[str], float]:
    """Lines and font size that fit ``text`` in ``max_width`` on at most ``max_lines`` lines, shrinking
    from ``size`` down to MIN_FONT - 1 px."""
    current = size
    while True:
        lines = wrap(text, max_width, current, bold)
        if (len(lines) <= max_lines and all(text_width(line, current, bold) <= max_width for line in lines)) \
                or current <= MIN_FONT - 1:
            return lines, current
        current -= 0.5


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (at least 4.58:1 for any fill)."""
    return "#000000" if contrast("#000000", fill) >= contrast("#ffffff", fill) else "#ffffff"


def _text(x: float, y: float, content: str, size: float = MIN_FONT + 1, anchor: str = "start", bold: bool = False,
          fill: str = INK, cls: str = "") -> str:
    """A text element; attributes equal to the figure's defaults (12 px, start, ink) are left out."""
    attrs = "".join([f' font-size="{size:g}"' if size != MIN_FONT + 1 else "",
                     f' text-anchor="{anchor}"' if anchor != "start" else "",
                     f' fill="{fill}"' if fill != INK else "", ' font-weight="bold"' if bold else "",
                     f' class="{cls}"' if cls else ""])
    return f'<text x="{x:.1f}" y="{y:.1f}"{attrs}>{escape(content)}</text>'


def _lines(x: float, y_mid: float, lines: list[str], size: float, anchor: str = "start", bold: bool = False,
           cls: str = "") -> list[str]:
    """Lines of text centred vertically on ``y_mid``."""
    step = size * 1.15
    first = y_mid - step * (len(lines) - 1) / 2 + size * 0.35
    return [_text(x, first + i * step, line, size, anchor, bold, cls=cls) for i, line in enumerate(lines)]


def _svg_open(width: float, height: float, title: str, desc: str, lang: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
            f'viewBox="0 0 {width:g} {height:g}" font-family="{FONT}" font-size="{MIN_FONT + 1}" fill="{INK}" role="img" '
            f'lang="{lang}" xml:lang="{lang}" aria-labelledby="t d">',
            f'<title id="t">{escape(title)}</title>', f'<desc id="d">{escape(desc)}</desc>']


# ------------------------------------------------------------------ ladder (paper 000, Table 1)

@dataclass(frozen=True)
class LadderRung:
    """One level of the paper's table, bottom to top: its form, its label, Arnstein's rung (None for a
    level with no rung there), the source that added it ('[12]') and whether its place crosses another's."""

    form: str
    label: str
    rung: int | None
    added_by: str
    swapped: bool


def ladder_svg(rows: list[LadderRung], arnstein: list[str], heading_arnstein: str, heading_paper: str,
               legend_added: str, legend_swapped: str, title: str, lang: str) -> str:
    """Arnstein's eight rungs (left) against the paper's levels grouped by form (right), each rung joined
    to the level the paper puts in its place; crossing joins (a swapped pair) drawn heavy, dashed and
    marked ✗. Levels the paper took from another source are dashed boxes tagged with that source."""
    width, row_h, top = 660, 34, 40
    ax, aw = 8, 176            # Arnstein's column
    px, pw = 300, 190          # the paper's levels
    fx, fw = 500, 152          # the paper's forms
    n = len(rows)
    height = top + row_h * n + 58
    forms = list(dict.fromkeys(r.form for r in rows))
    greys = ["#e8e8e8", "#d0d0d0", "#f4f4f4", "#c4c4c4"]
    parts = _svg_open(width, height, title, legend_swapped, lang)
    parts.append(_text(ax + aw / 2, 26, heading_arnstein, 12, "middle", True))
    parts.append(_text((px + fx + fw) / 2, 26, heading_paper, 12, "middle", True))

    def y_of(index: int) -> float:  # index 0 = bottom
        return top + (n - 1 - index) * row_h

    a_step = row_h * n / max(len(arnstein), 1)
    a_mid = {}
    for i, name in enumerate(arnstein):  # rung 1 at the bottom
        y = top + row_h * n - (i + 1) * a_step
        a_mid[i + 1] = y + a_step / 2 - 3
        parts.append(f'<rect x="{ax}" y="{y:.1f}" width="{aw}" height="{a_step - 6:.1f}" rx="3" fill="#ffffff" '
                     f'stroke="#333333"/>')
        lines, size = fit(f"{i + 1}. {name}", aw - 12, 2, 12)
        parts += _lines(ax + 6, y + (a_step - 6) / 2, lines, size)
    for index, row in enumerate(rows):
        y = y_of(index)
        fill = greys[forms.index(row.form) % len(greys)]
        dash = ' stroke-dasharray="5,3"' if row.added_by else ""
        parts.append(f'<rect x="{px}" y="{y}" width="{pw}" height="{row_h - 6}" rx="3" fill="{fill}" '
                     f'stroke="#333333"{dash} class="rung"/>')
        text = f"{index + 1}. {row.label}" + (f" {row.added_by}" if row.added_by else "")
        lines, size = fit(text, pw - 12, 2, 12)
        parts += _lines(px + 6, y + (row_h - 6) / 2, lines, size, cls="rung-label")
        if row.rung is not None and row.rung in a_mid:
            heavy = row.swapped
            stroke = OUTLINE["inconsistent"] if heavy else "#555555"
            style = ' stroke-width="2.5" stroke-dasharray="7,3"' if heavy else ' stroke-width="1"'
            parts.append(f'<line x1="{ax + aw}" y1="{a_mid[row.rung]:.1f}" x2="{px}" y2="{y + (row_h - 6) / 2:.1f}" '
                         f'stroke="{stroke}"{style}/>')
            if heavy:
                parts.append(_text(px - 12, y + (row_h - 6) / 2 + 5, "✗", 14, "middle", True,
                                   fill=OUTLINE["inconsistent"]))
    for form in forms:
        idx = [i for i, r in enumerate(rows) if r.form == form]
        y0, y1 = y_of(max(idx)), y_of(min(idx)) + row_h - 6
        parts.append(f'<rect x="{fx}" y="{y0}" width="{fw}" height="{y1 - y0}" fill="{greys[forms.index(form) % len(greys)]}" '
                     f'stroke="#333333" class="form"/>')
        max_lines = max(1, int((y1 - y0) // 15))
        lines, size = fit(form, fw - 10, max_lines, 12, bold=True)
        parts += _lines(fx + fw / 2, (y0 + y1) / 2, lines, size, "middle", True, cls="form-label")
    y = top + n * row_h + 10
    parts.append(f'<rect x="{ax}" y="{y}" width="24" height="14" fill="none" stroke="#333333" stroke-dasharray="5,3"/>')
    parts += _lines(ax + 30, y + 7, fit(legend_added, width - ax - 40, 1, 12)[0], 12)
    parts.append(f'<line x1="{ax}" y1="{y + 30}" x2="{ax + 24}" y2="{y + 30}" stroke="{OUTLINE["inconsistent"]}" '
                 f'stroke-width="2.5" stroke-dasharray="7,3"/>')
    parts.append(_text(ax + 12, y + 25, "✗", 12, "middle", True, fill=OUTLINE["inconsistent"]))
    parts += _lines(ax + 30, y + 30, fit(legend_swapped, width - ax - 40, 1, 12)[0], 12)
    parts.append("</svg>")
    return "\n".join(parts)


# ------------------------------------------------------------------ Table 2: shares

@dataclass(frozen=True)
class HeatCell:
    value: float  # a share in [0, 1]
    text: str  # the printed number, as the reader's locale writes it
    status: str


def _shade(value: float) -> str:
    """White (0) to deep blue (1), linear in each channel."""
    v = min(1.0, max(0.0, value))
    r, g, b = (int(round(255 + (t - 255) * v)) for t in (8, 48, 107))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_svg(row_labels: list[str], column_labels: list[str], cells: list[list[HeatCell]], title: str,
                legend: str, key_label: str, lang: str, gap_before: int | None = None) -> str:
    """Rows x columns of shares, each cell shaded by its value and printed with it (Table 2); a cell the
    computation contradicts has a heavy red frame and a ✗. A colour key shows the scale 0–1."""
    cell_w, cell_h, left, top = 78, 22, 44, 34
    gap = 10 if gap_before is not None else 0
    width = max(left + cell_w * len(column_labels) + 20, 430)
    height = top + cell_h * len(row_labels) + gap + 104
    parts = _svg_open(width, height, title, legend, lang)
    for j, head in enumerate(column_labels):
        parts.append(_text(left + cell_w * j + cell_w / 2, top - 10, head, 12, "middle", True))
    for i, (name, row) in enumerate(zip(row_labels, cells)):
        y = top + i * cell_h + (gap if gap_before is not None and i >= gap_before else 0)
        parts.append(_text(left - 8, y + cell_h / 2 + 4, name, 12, "end"))
        for j, cell in enumerate(row):
            x = left + j * cell_w
            fill = _shade(cell.value) if 0 <= cell.value <= 1 else "#ffffff"  # counts (row 14) are not shares
            bad = cell.status in OUTLINE
            stroke = OUTLINE.get(cell.status, "#ffffff")
            parts.append(f'<rect x="{x + 1.5}" y="{y + 1.5}" width="{cell_w - 3}" height="{cell_h - 3}" fill="{fill}" '
                         f'stroke="{stroke}" stroke-width="{3 if bad else 1}" class="{cell.status}"/>')
            mark = " ✗" if cell.status == "inconsistent" else (" ?" if cell.status == "not_checkable" else "")
            parts.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, cell.text + mark, 12, "middle",
                               bold=bad, fill=ink_on(fill)))
    y = top + len(row_labels) * cell_h + gap + 16
    # colour key: the scale in eleven steps, 0 and 1 and the midpoint labelled
    for s in range(11):
        parts.append(f'<rect x="{left + s * 16}" y="{y}" width="16" height="12" fill="{_shade(s / 10)}" stroke="#666666" '
                     f'stroke-width="0.5"/>')
    parts.append(_text(left, y + 25, "0", 11, "middle"))
    parts.append(_text(left + 88, y + 25, "0,5" if lang != "en" else "0.5", 11, "middle"))
    parts.append(_text(left + 176, y + 25, "1", 11, "middle"))
    parts += _lines(left + 190, y + 6, fit(key_label, width - left - 196, 2, 12)[0], 12)
    y += 48
    parts.append(f'<rect x="{left}" y="{y - 11}" width="24" height="14" fill="#ffffff" stroke="{OUTLINE["inconsistent"]}" '
                 f'stroke-width="3"/>')
    parts.append(_text(left + 12, y, "✗", 11, "middle", True))
    parts += _lines(left + 32, y - 4, fit(legend, width - left - 40, 2, 12)[0], 12)
    parts.append("</svg>")
    return "\n".join(parts)


# ------------------------------------------------------------------ Table 3: mean ranks

@dataclass(frozen=True)
class RankRow:
    label: str
    ranks: list[float]
    W: str  # "W = 0,21" as printed
    p: str  # "p = 0,001*" as printed, marks exactly as printed
    W_bad: bool
    p_bad: bool
    ranks_bad: bool


MARKERS = ("circle", "square", "triangle")


def _marker(shape: str, x: float, y: float, fill: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="{fill}" stroke="#000000"/>'
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - 6:.1f} {x + 5.5:.1f},{y + 4:.1f} {x - 5.5:.1f},{y + 4:.1f}" '
                f'fill="{fill}" stroke="#000000"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="#000000"/>'


def mean_ranks_svg(rows: list[RankRow], item_labels: list[str], axis_title: str, title: str, legend: str,
                   lang: str) -> str:
    """One line per indicator: the mean ranks of its items on a 1..k axis (three marker shapes), and the
    printed W and p beside, a value the computation contradicts in red, bold and marked ✗."""
    k = max(len(r.ranks) for r in rows)
    label_w = min(240, int(max(text_width(r.label, 12) for r in rows)) + 14)
    axis_w, row_h, top = 230, 30, 44
    note_w = int(max(text_width(f"{r.W} ✗ {r.p} ✗", 12, True) for r in rows)) + 44
    width = label_w + axis_w + note_w + 20
    height = top + row_h * len(rows) + 74
    fills = ("#ffffff", "#888888", "#000000")
    parts = _svg_open(width, height, title, legend, lang)

    def x_of(rank: float) -> float:
        return label_w + 14 + (rank - 1) / (k - 1) * (axis_w - 28)

    for tick in range(1, k + 1):
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{top + row_h * len(rows)}" stroke="{GRID}"/>')
        parts.append(_text(x, top - 12, str(tick), 12, "middle"))
    parts.append(_text(x_of((k + 1) / 2), top - 28, axis_title, 12, "middle", True))
    for i, row in enumerate(rows):
        y = top + i * row_h + row_h / 2
        lines, size = fit(row.label, label_w - 8, 2, 12)
        parts += _lines(label_w, y, lines, size, "end")
        parts.append(f'<line x1="{x_of(min(row.ranks)):.1f}" y1="{y}" x2="{x_of(max(row.ranks)):.1f}" y2="{y}" '
                     f'stroke="#777777"/>')
        for j, rank in enumerate(row.ranks):
            parts.append(_marker(MARKERS[j % 3], x_of(rank), y, fills[j % 3]))
        x = label_w + axis_w + 4
        for text, bad in ((row.W, row.W_bad), (row.p, row.p_bad)):
            shown = text + ("\u00a0✗" if bad else "")
            parts.append(_text(x, y + 4, shown, 12, bold=bad, fill=OUTLINE["inconsistent"] if bad else INK))
            x += text_width(shown, 12, bad) + 16
    y = top + len(rows) * row_h + 22
    x = label_w + 14
    for j, name in enumerate(item_labels[:k]):
        parts.append(_marker(MARKERS[j % 3], x, y - 4, fills[j % 3]))
        parts.append(_text(x + 10, y, name, 12))
        x += 26 + text_width(name, 12)
    parts += _lines(8, y + 24, fit(legend, width - 16, 1, 12)[0], 12)
    parts.append("</svg>")
    return "\n".join(parts)


# ------------------------------------------------------------------ Table 4: W–p pairs

def chi2_sf(x: float, df: int) -> float:
    """Upper tail P(χ²_df ≥ x) for a whole number of degrees of freedom, in closed form (no SciPy
    import for a figure).

    Parameters
    ----------
    x : float
        The statistic, x ≥ 0.
    df : int
        Degrees of freedom, df ≥ 1.

    Returns
    -------
    float
        The survival function of the chi-square distribution at ``x``.

    Notes
    -----
    Even df: :math:`e^{-x/2}\\sum_{i<df/2} (x/2)^i / i!`; odd df:
    :math:`\\operatorname{erfc}(\\sqrt{x/2}) + e^{-x/2}\\sum_{i=1}^{(df-1)/2} (x/2)^{i-1/2} / \\Gamma(i + 1/2)`
    (Abramowitz & Stegun 26.4.4-26.4.5, https://doi.org/10.1119/1.1972842).

    Examples
    --------
    >>> round(chi2_sf(3.841458820694124, 1), 6)
    0.05
    >>> round(chi2_sf(7.814727903251178, 3), 6)
    0.05
    """
    if x <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    total = math.erfc(math.sqrt(half))
    term = math.sqrt(half) / math.gamma(1.5)
    for i in range(1, (df - 1) // 2 + 1):
        if i > 1:
            term *= half / (i - 0.5)
        total += math.exp(-half) * term
    return min(1.0, total)


@dataclass(frozen=True)
class WpPoint:
    W: float
    p: float
    consistent: bool  # the pair agrees at the best shared (m, k)


@dataclass(frozen=True)
class WpCurve:
    label: str  # "m = 13, k = 4"
    points: list[tuple[float, float]]  # (W, p) along the curve
    dash: str  # SVG dash pattern ('' solid)


def wp_svg(points: list[WpPoint], curves: list[WpCurve], axis_w: str, axis_p: str, title: str,
           legend_pair: str, legend_bad: str, lang: str, w_max: float = 0.6) -> str:
    """Printed (W, p) pairs (p on a log scale) against p = P(χ²_{k−1} ≥ m(k−1)W) for candidate (m, k):
    pairs that one design produced would lie on one curve."""
    left, top, plot_w, plot_h = 56, 20, 420, 260
    legend_w = 200
    width, height = left + plot_w + legend_w, top + plot_h + 48
    p_min = 1e-4
    parts = _svg_open(width, height, title, legend_pair, lang)

    def xy(w: float, p: float) -> tuple[float, float]:
        p = min(max(p, p_min), 1.0)
        return left + w / w_max * plot_w, top + (-math.log10(p)) / 4 * plot_h

    decimal = "." if lang == "en" else ","
    for e in range(5):
        y = top + e / 4 * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>')
        tick = "1" if e == 0 else f"0{decimal}{'0' * (e - 1)}1"
        parts.append(_text(left - 4, y + 4, tick, 11, "end"))
    for s in range(7):
        w = s / 10
        x = left + w / w_max * plot_w
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="{GRID}" stroke-width="0.5"/>')
        parts.append(_text(x, top + plot_h + 14, f"0{decimal}{s}" if s else "0", 11, "middle"))
    y05 = xy(0, 0.05)[1]
    parts.append(f'<line x1="{left}" y1="{y05:.1f}" x2="{left + plot_w}" y2="{y05:.1f}" stroke="#000000" '
                 f'stroke-width="0.6" stroke-dasharray="2,2"/>')
    parts.append(_text(left + plot_w - 2, y05 - 3, "p = 0" + decimal + "05", 11, "end"))
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333333"/>')
    parts.append(_text(left + plot_w / 2, top + plot_h + 32, axis_w, 12, "middle", True))
    parts.append(f'<text x="14" y="{top + plot_h / 2:.1f}" font-size="12" font-weight="bold" text-anchor="middle" '
                 f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(axis_p)}</text>')
    lx, ly = left + plot_w + 14, top + 10
    for curve in curves:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}"
                        for i, (x, y) in enumerate(xy(w, p) for w, p in curve.points if w <= w_max))
        dash = f' stroke-dasharray="{curve.dash}"' if curve.dash else ""
        parts.append(f'<path d="{path}" fill="none" stroke="#000000" stroke-width="1.4"{dash}/>')
        parts.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 26}" y2="{ly}" stroke="#000000" stroke-width="1.4"{dash}/>')
        parts.append(_text(lx + 32, ly + 4, curve.label, 11))
        ly += 18
    for point in points:
        x, y = xy(point.W, point.p)
        if point.consistent:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#ffffff" stroke="#000000" stroke-width="1.3"/>')
        else:
            parts.append(f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} '
                         f'L{x + 4:.1f},{y - 4:.1f}" stroke="{OUTLINE["inconsistent"]}" stroke-width="2"/>')
    ly += 8
    parts.append(f'<circle cx="{lx + 13}" cy="{ly}" r="4" fill="#ffffff" stroke="#000000" stroke-width="1.3"/>')
    parts += _lines(lx + 32, ly, fit(legend_pair, legend_w - 40, 3, 11)[0], 11)
    ly += 40
    parts.append(f'<path d="M{lx + 9},{ly - 4} L{lx + 17},{ly + 4} M{lx + 9},{ly + 4} L{lx + 17},{ly - 4}" '
                 f'stroke="{OUTLINE["inconsistent"]}" stroke-width="2"/>')
    parts += _lines(lx + 32, ly, fit(legend_bad, legend_w - 40, 3, 11)[0], 11)
    parts.append("</svg>")
    return "\n".join(parts)
