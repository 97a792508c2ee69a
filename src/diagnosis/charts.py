"""Charts drawn on the server as inline SVG: horizontal bars, a time series and the region map. Each is an image
with a title and a description (role="img"); the page always shows the data table next to it, so no reader
depends on the drawing, and values are written on the chart so colour is never the only carrier."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#000091"  # DSFR blue France
# Map classes 1..5: light to dark, each also drawn with its number and a growing radius.
CLASS_COLOURS = {1: "#dfe5f9", 2: "#b1bef0", 3: "#7c8ee0", 4: "#4e62cf", 5: "#000091"}
CLASS_TEXT = {1: "#161616", 2: "#161616", 3: "#161616", 4: "#ffffff", 5: "#ffffff"}


def fr_number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n.s."
    if round(value, digits) == 0:
        value = 0.0  # no "-0,00"
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" class="diagnosis-chart" '
        f'style="max-width:{width}px;height:auto">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def bar_chart(
    items: Sequence[tuple[str, float | None]], *, title: str, ident: str, digits: int = 0, unit: str = ""
) -> SafeString:
    """Horizontal bars, longest first as given; unknown values drawn as "n.s." without a bar."""
    label_width, bar_width, row_height = 300, 330, 24
    width, height = label_width + bar_width + 90, max(1, len(items)) * row_height + 10
    top = max((v for _l, v in items if v is not None), default=0) or 1
    body = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * row_height
        short = label if len(label) <= 42 else label[:41] + "…"
        body.append(
            f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end" font-size="12" fill="#161616">'
            f"{escape(short)}</text>"
        )
        length = 0 if value is None else max(1.0, bar_width * max(0.0, value) / top)
        if value is not None:
            body.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row_height - 8}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        body.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" font-size="12" fill="#161616">'
            f"{escape(fr_number(value, digits))}{escape(unit)}</text>"
        )
    desc = "; ".join(f"{label} : {fr_number(value, digits)}{unit}" for label, value in items)
    return _svg(width, height, title, desc, body, ident)


def time_series(
    points: Sequence[tuple[str, float]], *, title: str, ident: str, digits: int = 0
) -> SafeString:
    """A line over periods (labels on the x axis), each point labelled with its value; negative values (z-scores)
    are drawn below a zero line."""
    width, height, left, bottom, top_margin = 720, 240, 50, 40, 20
    plot_w, plot_h = width - left - 20, height - bottom - top_margin
    values = [v for _p, v in points]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1
    step = plot_w / max(1, len(points) - 1)

    def y_of(value: float) -> float:
        return top_margin + plot_h * (high - value) / span

    coords = [(left + i * step, y_of(value)) for i, (_p, value) in enumerate(points)]
    zero = y_of(0.0)
    body = [
        f'<line x1="{left}" y1="{zero:.1f}" x2="{left + plot_w}" y2="{zero:.1f}" stroke="#666" />',
        f'<line x1="{left}" y1="{top_margin}" x2="{left}" y2="{top_margin + plot_h}" stroke="#666" />',
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BAR_COLOUR}" stroke-width="2"/>')
    every = max(1, math.ceil(len(points) / 12))
    for i, ((period, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BAR_COLOUR}"/>')
        body.append(
            f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="11">{fr_number(value, digits)}</text>'
        )
        if i % every == 0:
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="11">'
                f"{escape(period)}</text>"
            )
    desc = "; ".join(f"{period} : {fr_number(value, digits)}" for period, value in points)
    return _svg(width, height, title, desc, body, ident)


def region_map(
    points: Sequence, background: Sequence[tuple[float, float]], *, title: str, ident: str
) -> SafeString:
    """Basins as circles at their centre over the region's communes (grey dots), coloured and numbered by
    class 1-5; "?" for unknown. Equirectangular projection corrected by the cosine of the mean latitude."""
    width, height, margin = 640, 560, 30
    lats = [lat for lat, _lon in background] + [p.latitude for p in points]
    lons = [lon for _lat, lon in background] + [p.longitude for p in points]
    if not lats:
        return _svg(width, 60, title, "Aucune donnée géographique.", [], ident)
    cos = math.cos(math.radians(sum(lats) / len(lats)))
    min_x, max_x = min(lons) * cos, max(lons) * cos
    min_y, max_y = min(lats), max(lats)
    scale = min(
        (width - 2 * margin - 150) / max(1e-6, max_x - min_x),
        (height - 2 * margin) / max(1e-6, max_y - min_y),
    )

    def project(lat, lon):
        return margin + (lon * cos - min_x) * scale, margin + (max_y - lat) * scale

    body = []
    dots = {(round(x), round(y)) for x, y in (project(lat, lon) for lat, lon in background)}  # one per pixel
    body.append(
        '<path fill="none" stroke="#cecece" stroke-width="2" stroke-linecap="round" d="'
        + "".join(f"M{x} {y}h0" for x, y in sorted(dots))
        + '"/>'
    )
    for point in points:
        x, y = project(point.latitude, point.longitude)
        klass = point.klass
        radius = 9 + 2 * (klass or 0)
        fill = CLASS_COLOURS.get(klass, "#ffffff")
        body.append(
            f"<g><title>{escape(point.label)} : classe {klass or 'inconnue'}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" stroke="#161616" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="12" font-weight="bold" '
            f'fill="{CLASS_TEXT.get(klass, "#161616")}">{klass or "?"}</text></g>'
        )
    legend_x = width - 140
    body.append(f'<text x="{legend_x}" y="{margin}" font-size="12" font-weight="bold">Classe</text>')
    for index, klass in enumerate((5, 4, 3, 2, 1)):
        y = margin + 22 + index * 30
        body.append(
            f'<circle cx="{legend_x + 12}" cy="{y}" r="{9 + 2 * klass}" fill="{CLASS_COLOURS[klass]}" '
            f'stroke="#161616"/><text x="{legend_x + 12}" y="{y + 4}" text-anchor="middle" font-size="12" '
            f'font-weight="bold" fill="{CLASS_TEXT[klass]}">{klass}</text>'
            f'<text x="{legend_x + 40}" y="{y + 4}" font-size="12">'
            f"{'la plus forte' if klass == 5 else 'la plus faible' if klass == 1 else ''}</text>"
        )
    desc = "; ".join(f"{p.label} : classe {p.klass or 'inconnue'}" for p in points)
    return _svg(width, height, title, desc, body, ident)
