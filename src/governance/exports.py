"""Documents produced by the governance app: minutes of a meeting (PDF), the protocol dashboard (PDF, XLSX)."""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from governance import services
from governance.models import Attendance, Meeting, Motion


def _styles():
    styles = getSampleStyleSheet()
    return styles["Title"], styles["Heading2"], styles["BodyText"]


def _table(rows, widths=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e3fd")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ]
        )
    )
    return table


def _p(text, style):
    from django.utils.html import escape

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def minutes_pdf(meeting: Meeting) -> bytes:
    title, h2, body = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        title=f"Procès-verbal — {meeting.title}",
        author=str(meeting.committee),
    )
    start = timezone.localtime(meeting.starts_at)
    story = [
        _p(f"Procès-verbal — {meeting.committee}", title),
        _p(
            f"{meeting.title}, le {start:%d/%m/%Y} à {start:%H:%M}"
            + (f", {meeting.location}" if meeting.location else ""),
            body,
        ),
        Spacer(1, 8),
    ]
    state = services.quorum(meeting)
    story.append(_p("Quorum", h2))
    story.append(
        _p(
            f"{state.counted} sièges à voix délibérative présents ou représentés sur {state.voting_seats} "
            f"({state.present} présents, {state.represented} représentés) ; quorum requis : {state.required}. "
            + ("Le quorum est atteint." if state.reached else "Le quorum n'est pas atteint."),
            body,
        )
    )
    story.append(_p("Présences", h2))
    attendances = {a.member_id: a for a in meeting.attendances.select_related("proxy_holder")}
    rows = [["Membre", "Collège", "Siège", "Présence"]]
    day = timezone.localdate(meeting.starts_at)
    for member in services.current_members(meeting.committee, day).order_by("college", "full_name"):
        a = attendances.get(member.pk)
        presence = a.get_status_display() if a else "non renseignée"
        if a and a.proxy_holder_id:
            presence += f", pouvoir à {a.proxy_holder}"
        rows.append(
            [
                _p(member, body),
                _p(member.get_college_display(), body),
                member.get_seat_display(),
                _p(presence, body),
            ]
        )
    story.append(_table(rows, [5 * cm, 5 * cm, 2 * cm, 5 * cm]))
    story.append(_p("Ordre du jour", h2))
    for item in meeting.agenda_items.all():
        story.append(
            _p(f"{item.order}. {item.title}" + (f" — {item.presenter}" if item.presenter else ""), body)
        )
    if meeting.notes:
        story.append(_p("Échanges", h2))
        story.append(_p(meeting.notes, body))
    story.append(_p("Délibérations", h2))
    motions = list(meeting.motions.prefetch_related("actions__owner"))
    if not motions:
        story.append(_p("Aucune délibération.", body))
    for motion in motions:
        story.append(
            _p(f"« {motion.title} » ({motion.get_kind_display()}) : {motion.get_outcome_display()}", body)
        )
        if motion.outcome != Motion.Outcome.PENDING:
            line = (
                f"Pour {motion.votes_for}, contre {motion.votes_against}, abstentions {motion.abstentions}."
            )
            if motion.casting_vote_used:
                line += " Partage égal des voix : voix prépondérante du coprésident représentant l'État."
            story.append(_p(line, body))
        if motion.text:
            story.append(_p(motion.text, body))
        actions = list(motion.actions.all())
        if actions:
            rows = [["Action de suivi", "Pilote", "Échéance"]]
            rows += [[_p(a.title, body), _p(a.owner_label, body), f"{a.deadline:%d/%m/%Y}"] for a in actions]
            story.append(_table(rows, [9 * cm, 5 * cm, 3 * cm]))
        story.append(Spacer(1, 6))
    doc.build(story)
    return buffer.getvalue()


def _present(totals, statuses):
    return [totals.counts.get(s, 0) for s, _ in statuses]


def dashboard_pdf(protocol, data: dict, *, on: date) -> bytes:
    title, h2, body = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        title=f"Tableau de bord — {protocol.title}",
    )
    statuses = data["statuses"]
    head = ["", *[label for _, label in statuses], "Total", "% réalisé"]
    story = [_p(f"Tableau de bord — {protocol.title}", title), _p(f"Situation au {on:%d/%m/%Y}.", body)]
    for heading, rows in (
        ("Avancement par enjeu", data["by_stake"]),
        ("Avancement par territoire", data["by_territory"]),
    ):
        story.append(_p(heading, h2))
        table = [head] + [
            [_p(r.label, body), *_present(r, statuses), r.total, f"{r.done_rate} %"] for r in rows
        ]
        story.append(_table(table))
    story.append(_p("Actions en retard", h2))
    rows = [["Fiche action", "Pilote", "Motif"]]
    rows += [
        [_p(x["sheet"], body), _p(x["sheet"].owner_label, body), _p("; ".join(x["reasons"]), body)]
        for x in data["late_sheets"]
    ]
    rows += [
        [_p(a, body), _p(a.owner_label, body), f"échéance {a.deadline:%d/%m/%Y} dépassée"]
        for a in data["late_actions"]
    ]
    story.append(_table(rows) if len(rows) > 1 else _p("Aucune.", body))
    story.append(_p("Indicateurs", h2))
    rows = [["Indicateur", "Dernière valeur", "Prochaine cible", "Situation"]]
    for view in data["indicators"]:
        latest = (
            f"{view.latest[1]} {view.indicator.unit} ({view.latest[0]:%d/%m/%Y})"
            if view.latest
            else (view.unavailable or "aucune valeur")
        )
        target = f"{view.next_target[1]} au {view.next_target[0]:%d/%m/%Y}" if view.next_target else "—"
        situation = {True: "atteinte", False: "en deçà", None: "—"}[view.on_track]
        rows.append([_p(view.indicator, body), _p(latest, body), _p(target, body), situation])
    story.append(_table(rows, [7 * cm, 4.5 * cm, 3.5 * cm, 2.5 * cm]))
    doc.build(story)
    return buffer.getvalue()


def dashboard_xlsx(protocol, data: dict, *, on: date) -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)
    statuses = data["statuses"]
    sheet = workbook.active
    sheet.title = "Par enjeu"
    for ws, rows in (
        (sheet, data["by_stake"]),
        (workbook.create_sheet("Par territoire"), data["by_territory"]),
    ):
        ws.append(["", *[label for _, label in statuses], "Total", "% réalisé"])
        for r in rows:
            ws.append([r.label, *_present(r, statuses), r.total, r.done_rate])
        for cell in ws[1]:
            cell.font = bold
        ws.column_dimensions["A"].width = 60
    ws = workbook.create_sheet("Retards")
    ws.append(["Type", "Intitulé", "Pilote", "Motif"])
    for x in data["late_sheets"]:
        ws.append(["Fiche action", str(x["sheet"]), x["sheet"].owner_label, "; ".join(x["reasons"])])
    for a in data["late_actions"]:
        ws.append(["Action de suivi", str(a), a.owner_label, f"échéance {a.deadline:%d/%m/%Y} dépassée"])
    ws = workbook.create_sheet("Indicateurs")
    ws.append(["Engagement", "Indicateur", "Unité", "Source", "Requête", "Date", "Valeur", "Type"])
    for view in data["indicators"]:
        ind = view.indicator
        base = [str(ind.commitment), ind.name, ind.unit, ind.get_source_display(), ind.query_name]
        for day, value in view.series:
            ws.append([*base, day, float(value), "valeur"])
        for day, value in view.targets:
            ws.append([*base, day, float(value), "cible"])
        if not view.series and view.unavailable:
            ws.append([*base, None, None, view.unavailable])
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = bold
    workbook.properties.title = f"Tableau de bord — {protocol.title} au {on:%d/%m/%Y}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attendance_label(attendance: Attendance | None) -> str:
    return attendance.get_status_display() if attendance else "non renseignée"
