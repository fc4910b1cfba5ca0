"""Charts drawn on the server as SVG (no script, so they print and pass the content security policy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR = "#b22222"  # the workbench's red
LOW = "#d98c1f"  # a bar below the line drawn for it
TEXT = "#222"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed at the bar's end


def hbars(title: str, bars: Sequence[Bar], top: float, line: float | None = None) -> Markup:
    """Horizontal bars, one per label, scaled to ``top``; bars under ``line`` drawn in the warning colour."""
    label_w, bar_w, row_h = 190, 330, 18
    height = 28 + row_h * max(len(bars), 1) + 6
    width = label_w + bar_w + 70
    parts = [_open(title, width, height), _text(4, 16, title, bold=True)]
    for i, b in enumerate(bars):
        y = 26 + i * row_h
        w = 0 if top <= 0 else max(0.0, min(1.0, b.value / top)) * bar_w
        colour = LOW if line is not None and b.value < line else BAR
        parts.append(_text(label_w - 6, y + 12, _short(b.label, 14), anchor="end"))
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 5}" ')
        parts.append(f'fill="{colour}"/>')
        parts.append(_text(label_w + w + 4, y + 12, b.shown))
    if line is not None and top > 0:
        x = label_w + line / top * bar_w
        parts.append(
            f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="{height - 4}" '
            'stroke="#555" stroke-dasharray="3 3"/>'
        )
    if not bars:
        parts.append(_text(label_w, 40, "（没有数据）"))
    return Markup("".join(parts) + "</svg>")


def columns(title: str, bars: Sequence[Bar], unit: str = "") -> Markup:
    """Vertical columns, one per label (months, star counts), scaled to the largest."""
    col_w, plot_h = 34, 120
    width = max(len(bars), 1) * col_w + 20
    height = plot_h + 74
    top = max((b.value for b in bars), default=0)
    parts = [_open(title, max(width, 240), height), _text(4, 16, title, bold=True)]
    for i, b in enumerate(bars):
        x = 10 + i * col_w
        h = 0 if top <= 0 else b.value / top * plot_h
        y = 36 + plot_h - h
        parts.append(f'<rect x="{x + 4}" y="{y:.1f}" width="{col_w - 8}" height="{h:.1f}" fill="{BAR}"/>')
        parts.append(_text(x + col_w / 2, y - 3, b.shown, anchor="middle"))
        parts.append(_text(x + col_w / 2, 36 + plot_h + 14, b.label, anchor="middle"))
    if unit:
        parts.append(_text(4, height - 6, unit))
    return Markup("".join(parts) + "</svg>")


def _open(title: str, width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(title)}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" font-size="12">'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{TEXT}"{weight}>{escape(text)}</text>'


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
