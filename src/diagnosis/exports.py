"""Exports of the diagnosis tables: CSV (`;`, UTF-8 with BOM for spreadsheet software), XLSX and a PDF report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from html import escape

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from diagnosis.tables import Table


def _raw(value, kind: str):
    if value is None:
        return "n.s." if kind not in ("text", "bool") else ""
    if kind == "bool":
        return "oui" if value else "non"
    if kind == "pct":
        return round(100 * value, 1)
    if isinstance(value, float):
        return round(value, 3)
    return value


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([c.label + (" (%)" if c.kind == "pct" else "") for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                str(_raw(v, c.kind)).replace(".", ",")
                if isinstance(_raw(v, c.kind), float)
                else _raw(v, c.kind)
                for v, c in zip(row, table.columns, strict=True)
            ]
        )
    writer.writerow([])
    for source in table.sources:
        writer.writerow([f"Source : {source}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.ident[:31]
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([c.label + (" (%)" if c.kind == "pct" else "") for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_raw(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    sheet.append([])
    for source in table.sources:
        sheet.append([f"Source : {source}"])
    if table.note:
        sheet.append([table.note])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = (
            45 if column.kind == "text" and index == 2 else 18
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_pdf(*, title: str, tables: Iterable[Table], datasets: Iterable, intro: str) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=title,
        author="Réseau pour l'emploi",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(f"Édité le {timezone.localdate():%d/%m/%Y}. {intro}"), styles["BodyText"]),
        Spacer(1, 0.3 * cm),
        Paragraph("Sources et millésimes", styles["Heading2"]),
    ]
    for dataset in datasets:
        story.append(Paragraph(escape(f"• {dataset.citation} — {dataset.note}"), small))
    for table in tables:
        story += [Spacer(1, 0.4 * cm), Paragraph(escape(table.title), styles["Heading2"])]
        if not table.rows:
            story.append(Paragraph("Aucune donnée pour ce territoire.", styles["BodyText"]))
            continue
        # Paragraph reads a markup language: text from the sources ("&", "<") is escaped first.
        data = [[Paragraph(escape(c.label), small) for c in table.columns]]
        data += [[Paragraph(escape(value), small) for value in row] for row in table.display_rows()]
        widths = [(7 if i == 1 else 2.6) * cm for i in range(len(table.columns))]
        flow = LongTable(data, colWidths=widths, repeatRows=1)
        flow.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e3fd")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(flow)
        if table.note:
            story.append(Paragraph(escape(table.note), small))
        for source in table.sources:
            story.append(Paragraph(escape(f"Source : {source}"), small))
    document.build(story)
    return out.getvalue()
