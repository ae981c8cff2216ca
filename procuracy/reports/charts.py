"""The one chart renderer: SVG text for PDFs and the web dashboards alike.

Pure Python, no dependencies: ``bar_chart``, ``stacked_bar_chart`` and ``line_chart``
take category labels and series of numbers and return a standalone ``<svg>`` (inline it
in HTML with ``|safe``; it is built with every label escaped). Labels may be Chinese:
the text is set in the Noto CJK family, which the PDFs embed.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
PALETTE = ("#3b6ea5", "#d9822b", "#5a9e54", "#b6473c", "#7d62a8", "#8c6d4f", "#c45c9e",
           "#6f7c85")
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 56

Series = Mapping[str, Sequence[float]] | Sequence[float]


def _series(series: Series) -> dict[str, list[float]]:
    if isinstance(series, Mapping):
        return {str(k): [float(v or 0) for v in vals] for k, vals in series.items()}
    return {"": [float(v or 0) for v in series]}


def nice_ticks(top: float, count: int = 5, whole: bool = True) -> list[float]:
    """0 and round steps up to at least ``top`` (1, 2 or 5 times a power of ten);
    ``whole``: counts, so no step below 1."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(step, 1)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class _Canvas:
    """Plot area, axes, labels and legend shared by every chart kind."""

    def __init__(self, categories: Sequence[str], data: dict[str, list[float]], top: float,
                 title: str, width: int, height: int, unit: str) -> None:
        self.categories = [str(c) for c in categories]
        self.width, self.height, self.title, self.unit = width, height, title, unit
        whole = all(float(v).is_integer() for vals in data.values() for v in vals)
        self.ticks = nice_ticks(top, whole=whole)
        self.plot_w = width - LEFT - RIGHT
        self.plot_h = height - TOP - BOTTOM
        self.parts: list[str] = []

    def y(self, value: float) -> float:
        return TOP + self.plot_h - value / self.ticks[-1] * self.plot_h

    def slot(self, index: int) -> tuple[float, float]:
        """(left edge, width) of the category at ``index``."""
        width = self.plot_w / max(len(self.categories), 1)
        return LEFT + index * width, width

    def text(self, x: float, y: float, label: str, **attrs: str) -> None:
        extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(label)}</text>')

    def axes(self) -> None:
        for tick in self.ticks:
            y = self.y(tick)
            self.parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + self.plot_w}" '
                              f'y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>')
            self.text(LEFT - 6, y + 4, _number(tick), text_anchor="end", fill="#555")
        base = self.y(0)
        self.parts.append(f'<line x1="{LEFT}" y1="{base:.1f}" x2="{LEFT + self.plot_w}" '
                          f'y2="{base:.1f}" stroke="#333" stroke-width="1"/>')
        rotate = len(self.categories) > 8
        for i, label in enumerate(self.categories):
            left, width = self.slot(i)
            x, y = left + width / 2, base + 16
            if rotate:
                self.text(x, y, label, text_anchor="end", transform=f"rotate(-40 {x:.1f} {y:.1f})")
            else:
                self.text(x, y, label, text_anchor="middle")
        if self.title:
            self.text(self.width / 2, 22, self.title, text_anchor="middle", font_size="15",
                      font_weight="bold")
        if self.unit:
            self.text(LEFT - 6, TOP - 10, self.unit, text_anchor="end", fill="#555")

    def legend(self, names: Sequence[str]) -> None:
        if len(names) < 2 and not any(names):
            return
        x = LEFT
        y = self.height - 10
        for i, name in enumerate(names):
            color = PALETTE[i % len(PALETTE)]
            self.parts.append(f'<rect x="{x}" y="{y - 10}" width="10" height="10" fill="{color}"/>')
            self.text(x + 14, y, name)
            x += 28 + 13 * len(name)

    def svg(self) -> str:
        label = quoteattr(self.title or "chart")
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                f'width="{self.width}" height="{self.height}" font-family="{FONT_FAMILY}" '
                f'font-size="12" role="img" aria-label={label}>')
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        return head + title + "".join(self.parts) + "</svg>"


def bar_chart(categories: Sequence[str], series: Series, *, title: str = "", unit: str = "",
              width: int = 640, height: int = 320) -> str:
    """Grouped bars: one bar per series in each category."""
    data = _series(series)
    top = max((v for vals in data.values() for v in vals), default=0)
    canvas = _Canvas(categories, data, top, title, width, height, unit)
    canvas.axes()
    names = list(data)
    for i in range(len(canvas.categories)):
        left, slot = canvas.slot(i)
        bar = slot * 0.7 / max(len(names), 1)
        for j, name in enumerate(names):
            value = data[name][i] if i < len(data[name]) else 0.0
            y = canvas.y(value)
            canvas.parts.append(
                f'<rect x="{left + slot * 0.15 + j * bar:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{canvas.y(0) - y:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(f'{name} {canvas.categories[i]}: {_number(value)}'.strip())}"
                "</title></rect>")
    canvas.legend(names)
    return canvas.svg()


def stacked_bar_chart(categories: Sequence[str], series: Series, *, title: str = "",
                      unit: str = "", width: int = 640, height: int = 320) -> str:
    """Stacked bars: the series add up in each category."""
    data = _series(series)
    totals = [sum(vals[i] if i < len(vals) else 0.0 for vals in data.values())
              for i in range(len(categories))]
    canvas = _Canvas(categories, data, max(totals, default=0), title, width, height, unit)
    canvas.axes()
    names = list(data)
    for i in range(len(canvas.categories)):
        left, slot = canvas.slot(i)
        base = 0.0
        for j, name in enumerate(names):
            value = data[name][i] if i < len(data[name]) else 0.0
            y0, y1 = canvas.y(base), canvas.y(base + value)
            canvas.parts.append(
                f'<rect x="{left + slot * 0.2:.1f}" y="{y1:.1f}" width="{slot * 0.6:.1f}" '
                f'height="{y0 - y1:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(f'{name} {canvas.categories[i]}: {_number(value)}'.strip())}"
                "</title></rect>")
            base += value
    canvas.legend(names)
    return canvas.svg()


def line_chart(categories: Sequence[str], series: Series, *, title: str = "", unit: str = "",
               width: int = 640, height: int = 320) -> str:
    """One line per series across the categories (e.g. months)."""
    data = _series(series)
    top = max((v for vals in data.values() for v in vals), default=0)
    canvas = _Canvas(categories, data, top, title, width, height, unit)
    canvas.axes()
    names = list(data)
    for j, name in enumerate(names):
        color = PALETTE[j % len(PALETTE)]
        points = []
        for i, value in enumerate(data[name][:len(canvas.categories)]):
            left, slot = canvas.slot(i)
            points.append((left + slot / 2, canvas.y(value)))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        canvas.parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" '
                            'stroke-width="2"/>')
        canvas.parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>'
                            for x, y in points)
    canvas.legend(names)
    return canvas.svg()
