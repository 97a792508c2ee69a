"""Small inline SVG charts. Each is decorative to assistive technologies' eyes only in part: it carries a title and
a description, and every page that shows one also shows the same figures in a table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# DSFR illustrative colours; segments also carry their count and the legend names each status in text.
STATUS_COLOURS = {
    "not_started": "#929292",
    "on_track": "#000091",
    "late": "#ce0500",
    "done": "#18753c",
    "abandoned": "#6a6156",
}
STATUS_PATTERNS = {"late": "url(#hatch)", "abandoned": "url(#dots)"}


def progress_bars(rows, statuses: list[tuple[str, str]], *, title: str, chart_id: str) -> SafeString:
    width, label_w, bar_h, gap = 760, 260, 22, 10
    height = 30 + len(rows) * (bar_h + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" class="governance-chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">Nombre de fiches action par état ; les chiffres figurent dans le tableau qui suit.</desc>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ce0500"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/>'
        '</pattern><pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#6a6156"/><circle cx="3" cy="3" r="1.2" fill="#fff"/></pattern></defs>',
    ]
    x0, usable = label_w + 10, width - label_w - 60
    for i, row in enumerate(rows):
        y = 20 + i * (bar_h + gap)
        label = row.label if len(row.label) <= 42 else row.label[:40] + "…"
        parts.append(
            f'<text x="{label_w}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>'
        )
        total, x = row.total, x0
        for status, _ in statuses:
            count = row.counts.get(status, 0)
            if not count:
                continue
            w = usable * count / total
            fill = STATUS_PATTERNS.get(status, STATUS_COLOURS[status])
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}"/>')
            if w > 18:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle" font-size="12" fill="#fff" '
                    f'font-weight="bold">{count}</text>'
                )
            x += w
        if not total:
            parts.append(f'<text x="{x0}" y="{y + 15}" font-size="12">aucune fiche</text>')
        else:
            parts.append(f'<text x="{x0 + usable + 6}" y="{y + 15}" font-size="12">{row.done_rate} %</text>')
    legend_y, lx = height - 12, x0
    for status, label in statuses:
        fill = STATUS_PATTERNS.get(status, STATUS_COLOURS[status])
        parts.append(f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{fill}"/>')
        parts.append(f'<text x="{lx + 16}" y="{legend_y}" font-size="11">{escape(label)}</text>')
        lx += 20 + 6.2 * len(label)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    series: list[tuple[date, Decimal]],
    targets: list[tuple[date, Decimal]],
    *,
    title: str,
    unit: str,
    chart_id: str,
) -> SafeString:
    points = series + targets
    if not points:
        return mark_safe("")
    width, height, left, right, top, bottom = 640, 240, 60, 20, 20, 40
    days = [p[0].toordinal() for p in points]
    values = [float(p[1]) for p in points]
    d_min, d_max = min(days), max(days)
    v_min, v_max = min(0.0, min(values)), max(values) or 1.0
    if d_max == d_min:
        d_max = d_min + 1

    def px(day: date) -> float:
        return left + (width - left - right) * (day.toordinal() - d_min) / (d_max - d_min)

    def py(value) -> float:
        return top + (height - top - bottom) * (1 - (float(value) - v_min) / (v_max - v_min or 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" class="governance-chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">Valeurs mesurées (ligne pleine, ronds) et cibles (losanges) en {escape(unit)} ; '
        "le tableau qui suit donne les mêmes chiffres.</desc>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#666"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#666"/>',
        f'<text x="{left - 6}" y="{py(v_max) + 4:.1f}" text-anchor="end" font-size="11">{v_max:g}</text>',
        f'<text x="{left - 6}" y="{py(v_min) + 4:.1f}" text-anchor="end" font-size="11">{v_min:g}</text>',
        f'<text x="{left}" y="{height - 20}" font-size="11">{date.fromordinal(d_min):%m/%Y}</text>',
        f'<text x="{width - right}" y="{height - 20}" text-anchor="end" font-size="11">{date.fromordinal(d_max):%m/%Y}</text>',
    ]
    if len(series) > 1:
        path = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v in series)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#000091" stroke-width="2"/>')
    for d, v in series:
        parts.append(f'<circle cx="{px(d):.1f}" cy="{py(v):.1f}" r="4" fill="#000091"/>')
    for d, v in targets:
        x, y = px(d), py(v)
        parts.append(
            f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}" '
            'fill="#fff" stroke="#ce0500" stroke-width="2"/>'
        )
    parts.append(
        f'<circle cx="{left + 10}" cy="{height - 6}" r="4" fill="#000091"/>'
        f'<text x="{left + 18}" y="{height - 2}" font-size="11">valeur mesurée</text>'
        f'<polygon points="{left + 130},{height - 12} {left + 136},{height - 6} {left + 130},{height} '
        f'{left + 124},{height - 6}" fill="#fff" stroke="#ce0500" stroke-width="2"/>'
        f'<text x="{left + 142}" y="{height - 2}" font-size="11">cible</text></svg>'
    )
    return mark_safe("".join(parts))
