"""The board report: the chain with each indicator's baseline, target and current
figure, and the notes, as Excel (openpyxl) and PDF (WeasyPrint). Both render the
same :class:`~.selectors.ChainView` the page shows, so a download never holds a
figure the page would hide."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from studievag.quality.reports import LEGEND

from .selectors import ChainView


def _filename(view: ChainView, ext: str) -> str:
    return f"effektkedja-{slugify(view.chain.title)[:40]}-{view.on:%Y-%m-%d}.{ext}"


def _target_text(lv) -> str:
    return "; ".join(f"{t.checkpoint:%Y-%m-%d}: {_number(float(t.value))}" for t in lv.targets) or "–"


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rows(view: ChainView) -> list[list[str]]:
    """One row per linked indicator (and one per node without any), level by level."""
    out = []
    for _key, label, nodes in view.levels:
        for nv in nodes:
            node = nv.node
            dates = (
                f"{node.start_date:%Y-%m-%d} – {node.end_date:%Y-%m-%d}"
                if node.end_date
                else f"{node.start_date:%Y-%m-%d} –"
            )
            head = [label, node.title, node.owner, dates]
            if not nv.links:
                out.append(head + ["", "", "", "", "", ""])
            for lv in nv.links:
                out.append(
                    head
                    + [
                        f"{lv.name} ({lv.unit})",
                        f"{lv.link.baseline_text} ({_period(lv)})",
                        _target_text(lv),
                        lv.current.text if lv.current else "–",
                        _number(lv.expected),
                        lv.status_label,
                    ]
                )
    return out


def _period(lv) -> str:
    return lv.baseline_period.label if lv.baseline_period else lv.link.baseline_period


def headers() -> list[str]:
    return [
        _("Level"),
        _("Node"),
        _("Owner"),
        _("Dates"),
        _("Indicator"),
        _("Baseline"),
        _("Targets"),
        _("Now"),
        _("Expected now"),
        _("Status"),
    ]


def to_xlsx(request, view: ChainView, notes) -> HttpResponse:
    from openpyxl import Workbook  # noqa: PLC0415 (heavy; loaded when a file is made)
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415 (heavy; loaded when a file is made)

    wb = Workbook()
    ws = wb.active
    ws.title = _("Effect chain")[:31]
    ws.append([view.chain.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{view.chain.owner_label} · {_('Figures for')} {view.period.label} · {view.on:%Y-%m-%d}"])
    if view.chain.education_plan_id:
        ws.append([f"{_('Plan for education')}: {view.chain.education_plan}"])
    ws.append([])
    ws.append(headers())
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B4F6C")
    for row in rows(view):
        ws.append(row)
    for column, width in zip("ABCDEFGHIJ", [22, 34, 18, 24, 40, 18, 28, 10, 12, 18], strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=head_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.append([])
    for symbol, text in LEGEND:
        ws.append([symbol, str(text)])
    notes_ws = wb.create_sheet(_("Notes")[:31])
    notes_ws.append([_("Date"), _("Kind"), _("Theme"), _("Text")])
    for cell in notes_ws[1]:
        cell.font = Font(bold=True)
    for n in notes:
        notes_ws.append([n.written_on, n.get_kind_display(), n.get_theme_display(), n.text])
    notes_ws.column_dimensions["D"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, "xlsx")}"'
    return response


def to_pdf(request, view: ChainView, notes) -> HttpResponse:
    from weasyprint import HTML  # noqa: PLC0415 (heavy; loaded when a file is made)

    html = render_to_string(
        "effect_chain/board_report_pdf.html",
        {"view": view, "chain": view.chain, "notes": notes, "legend": LEGEND, "now": timezone.localtime()},
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, "pdf")}"'
    return response


FORMATS = {"xlsx": to_xlsx, "pdf": to_pdf}
