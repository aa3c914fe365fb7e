"""The report's data figures as SVG, text kept as text: a heat map of Table 2 and Table 3's mean ranks.

Plain functions over plain data: the caller passes labels already in the reader's language
and numbers already formatted (Babel), so no label is written here. Status outlines use the
same palette as the tables (red: inconsistent, amber: not checkable).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# quoted family names: WeasyPrint's SVG renderer reads an unquoted list as one name
FONT = "'Report Sans', 'DejaVu Sans', sans-serif"
OUTLINE = {"inconsistent": "#c0392b", "not_checkable": "#b7950b"}


@dataclass(frozen=True)
class HeatCell:
    value: float  # a share in [0, 1]
    text: str  # the printed number, as the reader's locale writes it
    status: str


def _shade(value: float) -> str:
    """White (0) to deep blue (1), linear in each channel."""
    v = min(1.0, max(0.0, value))
    r, g, b = (int(round(255 + (t - 255) * v)) for t in (33, 102, 172))
    return f"#{r:02x}{g:02x}{b:02x}"


def _svg_open(width: int, height: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11" role="img">',
            f"<title>{escape(title)}</title>",
            f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">{escape(title)}</text>']


def heatmap_svg(row_labels: list[str], column_labels: list[str], cells: list[list[HeatCell]], title: str,
                legend: str) -> str:
    """Rows x columns of shares, each cell shaded by its value and printed with it (Table 2)."""
    cell_w, cell_h, left, top = 70, 20, 60, 52
    width = left + cell_w * len(column_labels) + 20
    height = top + cell_h * len(row_labels) + 46
    parts = _svg_open(width, height, title)
    for j, head in enumerate(column_labels):
        parts.append(f'<text x="{left + cell_w * j + cell_w / 2}" y="{top - 8}" text-anchor="middle" '
                     f'font-weight="bold">{escape(head)}</text>')
    for i, (name, row) in enumerate(zip(row_labels, cells)):
        y = top + i * cell_h
        parts.append(f'<text x="{left - 8}" y="{y + cell_h / 2 + 4}" text-anchor="end">{escape(name)}</text>')
        for j, cell in enumerate(row):
            x = left + j * cell_w
            stroke = OUTLINE.get(cell.status, "#ffffff")
            width_ = 2 if cell.status in OUTLINE else 1
            parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                         f'fill="{_shade(cell.value)}" stroke="{stroke}" stroke-width="{width_}" class="{cell.status}"/>')
            ink = "#ffffff" if cell.value > 0.55 else "#111111"
            parts.append(f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 4}" text-anchor="middle" '
                         f'fill="{ink}">{escape(cell.text)}</text>')
    y = top + len(row_labels) * cell_h + 18
    parts.append(f'<rect x="{left}" y="{y - 11}" width="24" height="14" fill="none" stroke="{OUTLINE["inconsistent"]}" '
                 f'stroke-width="2"/>')
    parts.append(f'<text x="{left + 30}" y="{y}">{escape(legend)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


@dataclass(frozen=True)
class RankRow:
    label: str
    ranks: list[float]
    annotation: str  # "W = 0,253; p = 0,079*" in the reader's locale
    status: str  # the worst status of the row's cells


def mean_ranks_svg(rows: list[RankRow], item_labels: list[str], title: str, legend: str) -> str:
    """One line per indicator: the mean ranks of its items on a 1..k axis, W and p beside (Table 3)."""
    k = max(len(r.ranks) for r in rows)
    # the label column fits the longest label (about 6.3 px per character at 11 px)
    label_w = max(160, int(6.3 * max(len(r.label) for r in rows)) + 12)
    axis_w, note_w, row_h, top = 260, 170, 24, 58
    width = label_w + axis_w + note_w + 20
    height = top + row_h * len(rows) + 50
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"]
    parts = _svg_open(width, height, title)

    def x_of(rank: float) -> float:
        return label_w + 10 + (rank - 1) / (k - 1) * (axis_w - 20)

    for tick in range(1, k + 1):
        x = x_of(tick)
        parts.append(f'<line x1="{x}" y1="{top - 14}" x2="{x}" y2="{top + row_h * len(rows)}" stroke="#ccc"/>')
        parts.append(f'<text x="{x}" y="{top - 18}" text-anchor="middle">{tick}</text>')
    for i, row in enumerate(rows):
        y = top + i * row_h + row_h / 2
        colour = OUTLINE.get(row.status, "#111111")
        parts.append(f'<text x="{label_w}" y="{y + 4}" text-anchor="end">{escape(row.label)}</text>')
        parts.append(f'<line x1="{x_of(min(row.ranks))}" y1="{y}" x2="{x_of(max(row.ranks))}" y2="{y}" stroke="#999"/>')
        for j, rank in enumerate(row.ranks):
            parts.append(f'<circle cx="{x_of(rank):.1f}" cy="{y}" r="5" fill="{colours[j % len(colours)]}" '
                         f'class="item-{j + 1}"/>')
        parts.append(f'<text x="{label_w + axis_w + 6}" y="{y + 4}" fill="{colour}">{escape(row.annotation)}</text>')
    y = top + len(rows) * row_h + 22
    x = label_w + 10
    for j, name in enumerate(item_labels[:k]):
        parts.append(f'<circle cx="{x}" cy="{y - 4}" r="5" fill="{colours[j % len(colours)]}"/>')
        parts.append(f'<text x="{x + 9}" y="{y}">{escape(name)}</text>')
        x += 18 + 7 * len(name)
    parts.append(f'<text x="{label_w + 10}" y="{y + 18}" fill="{OUTLINE["inconsistent"]}">{escape(legend)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
