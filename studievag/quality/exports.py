"""Downloads of a report: CSV, a formatted Excel workbook, and a PDF for the board.

Every export renders a built :class:`~studievag.quality.reports.Report`, so
it holds exactly the (suppressed) figures of the page, and never anything
about an individual student.
"""

from __future__ import annotations

import csv
import io
from html import escape

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from studievag.cells import safe_row

from .reports import LEGEND, Report


def _filename(report: Report, ext: str) -> str:
    return f"studievag-{slugify(report.level.label)}-{report.period.code}.{ext}"


def _legend() -> list[tuple[str, str]]:
    return [(symbol, str(text)) for symbol, text in LEGEND]


def _rows(report: Report):
    """Long format: one line per indicator, row group and column group."""
    for category in report.categories:
        for table in category["tables"]:
            for i, (_rk, row_label) in enumerate(table.rows):
                for j, (_ck, col_label) in enumerate(table.cols):
                    yield (
                        category["label"],
                        table.indicator.id,
                        table.indicator.name,
                        row_label,
                        col_label,
                        table.cells[i][j].text,
                        table.indicator.unit,
                    )


def to_csv(report: Report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response, delimiter=";")
    dims = [str(d.label) for d in report.dims]
    writer.writerow(
        [
            _("Category"),
            _("Indicator id"),
            _("Indicator"),
            dims[0] if dims else _("Group"),
            dims[1] if len(dims) > 1 else _("Group"),
            _("Value"),
            _("Unit"),
        ]
    )
    for row in _rows(report):
        writer.writerow(safe_row(str(v) for v in row))
    writer.writerow([])
    for symbol, text in _legend():
        writer.writerow(safe_row([symbol, text]))
    return response


def _value(text: str) -> int | str:
    """A shown figure as a number where it is one; ``..`` and ``.`` stay text."""
    try:
        return int(text)
    except ValueError:
        return text


class _Workbook:
    """The report as an Excel workbook, one named step per sheet.

    Every row goes through :meth:`row`, so text that looks like a formula is
    kept as text (:mod:`studievag.cells`) on every sheet.
    """

    def __init__(self, report: Report):
        from openpyxl import Workbook  # noqa: PLC0415 (heavy; loaded when a file is made)
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: PLC0415 (as above)
        from openpyxl.utils import get_column_letter  # noqa: PLC0415 (as above)

        self.report = report
        self.book = Workbook()
        self.Alignment, self.Font, self.column_letter = Alignment, Font, get_column_letter
        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor="0B4F6C")
        self.category_font = Font(bold=True, size=12)
        self.border = Border(bottom=Side(style="thin", color="D5DBE1"))

    def row(self, sheet, values) -> None:
        sheet.append(safe_row(values))

    def header(self, sheet, values, *, wrap: bool = False) -> None:
        self.row(sheet, values)
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = self.header_font, self.header_fill
            if wrap:
                cell.alignment = self.Alignment(wrap_text=True, vertical="top")

    def title(self, sheet, text: str, font=None) -> None:
        self.row(sheet, [text])
        sheet.cell(sheet.max_row, 1).font = font or self.category_font

    def widths(self, sheet, first: int, count: int, width: int) -> None:
        for k in range(first, first + count):
            sheet.column_dimensions[self.column_letter(k)].width = width

    def summary(self) -> None:
        report, ws = self.report, self.book.active
        ws.title = _("Report")[:31]
        self.title(ws, report.title, self.Font(bold=True, size=14))
        self.row(ws, [_("Programme"), report.programme or _("All programmes")])
        self.row(ws, [_("Breakdown"), report.breakdown_label])
        suppression = (
            _("Counts under %(c)s and shares with a base under %(b)s are shown as “..”.")
            % {"c": report.thresholds.min_count, "b": report.thresholds.min_base}
            if report.suppressed
            else _("Not suppressed (own school unit)")
        )
        self.row(ws, [_("Suppression"), suppression])
        self.row(ws, [])
        self.header(ws, [_("Indicator"), _("Unit")] + [label for _k, label in report.focus.rows], wrap=True)
        for category in report.categories:
            self.title(ws, str(category["label"]))
            if not category["tables"]:
                self.row(ws, [str(category["note"])])
            for table in category["tables"]:
                figures = [_value(f.text) for f in table.row_margin]
                self.row(ws, [str(table.indicator.name), table.indicator.unit, *figures])
                for cell in ws[ws.max_row][2:]:
                    cell.alignment = self.Alignment(horizontal="right")
                    cell.border = self.border
        ws.column_dimensions["A"].width = 52
        ws.column_dimensions["B"].width = 10
        self.widths(ws, 3, len(report.focus.rows), 16)
        ws.freeze_panes = "C7"

    def two_way(self) -> None:
        report = self.report
        if len(report.dims) != 2:
            return
        sheet = self.book.create_sheet(_("Two-way")[:31])
        sheet.column_dimensions["A"].width = 30
        for table in report.tables.values():
            self.title(sheet, f"{table.indicator.name} ({table.indicator.unit})")
            corner = f"{report.dims[0].label} \\ {report.dims[1].label}"
            self.header(sheet, [corner] + [label for _k, label in table.cols])
            for i, (_rk, label) in enumerate(table.rows):
                self.row(sheet, [label] + [_value(f.text) for f in table.cells[i]])
            self.row(sheet, [])
        self.widths(sheet, 2, len(report.focus.cols), 16)

    def trend(self) -> None:
        focus = self.report.focus
        sheet = self.book.create_sheet(_("Trend")[:31])
        self.title(sheet, f"{focus.indicator.name} ({focus.indicator.unit})")
        self.header(sheet, [_("Period")] + [label for _k, label in focus.rows])
        for point in self.report.trend:
            self.row(sheet, [point.period.label] + [_value(f.text) for f in point.figures])
        sheet.column_dimensions["A"].width = 22

    def legend(self) -> None:
        sheet = self.book.create_sheet(_("Legend")[:31])
        self.header(sheet, [_("Symbol"), _("Meaning")])
        for symbol, text in _legend():
            self.row(sheet, [symbol, text])
        sheet.column_dimensions["A"].width = 10
        sheet.column_dimensions["B"].width = 70

    def definitions(self) -> None:
        sheet = self.book.create_sheet(_("Definitions")[:31])
        self.header(
            sheet,
            [_("Id"), _("Indicator"), _("Category"), _("Description"), _("Numerator"), _("Denominator"), _("Data")],
        )
        for table in self.report.tables.values():
            i = table.indicator
            missing = str(i.missing) if i.missing else ""
            texts = [str(i.name), i.category_label, str(i.description), str(i.numerator_text), str(i.denominator_text)]
            self.row(sheet, [i.id, *texts, missing])
            for cell in sheet[sheet.max_row]:
                cell.alignment = self.Alignment(wrap_text=True, vertical="top")
        for letter, width in zip("ABCDEFG", (22, 36, 30, 60, 50, 40, 30), strict=True):
            sheet.column_dimensions[letter].width = width

    def content(self) -> bytes:
        for step in (self.summary, self.two_way, self.trend, self.legend, self.definitions):
            step()
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def to_xlsx(report: Report) -> HttpResponse:
    response = HttpResponse(
        _Workbook(report).content(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


# --- PDF with a server-side SVG chart ----------------------------------------------------

COLOURS = ["#0b4f6c", "#01baef", "#9a6700", "#1e7d32", "#b42318", "#6b4c9a", "#505a66"]
PATTERNS = ["", "4 2", "1 2", "6 3 1 3", "2 4", "8 2", "3 3"]


def bar_chart_svg(report: Report, width: int = 640, height: int = 300) -> str:
    """Simple grouped bars of the chosen indicator; suppressed bars are marked “..”."""
    data = report.chart_data()
    labels, datasets = data["labels"], data["datasets"]
    left, bottom, top, right = 48, 70, 20, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for d in datasets for v in d["data"] if v is not None]
    top_value = max(values + [1.0])
    if data["unit"] == "%":
        top_value = max(top_value, 100.0) if top_value > 60 else max(10.0, top_value)
    scale = plot_h / top_value
    n_groups, n_sets = max(len(labels), 1), max(len(datasets), 1)
    group_w = plot_w / n_groups
    bar_w = max(4.0, (group_w * 0.8) / n_sets)
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(data["title"])}" '
            'font-family="DejaVu Sans, sans-serif" font-size="10">'
        ),
        (f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#1b1f24"/>'),
    ]
    for k in range(5):
        v = top_value * k / 4
        y = top + plot_h - v * scale
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d5dbe1" stroke-width="0.5"/>'
        )
        out.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{v:.0f}</text>')
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, dataset in enumerate(datasets):
            v = dataset["data"][g]
            x = x0 + s * bar_w
            colour = COLOURS[s % len(COLOURS)]
            if v is None:
                out.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - 4}" '
                    f'text-anchor="middle">{escape(dataset["texts"][g])}</text>'
                )
                continue
            h = v * scale
            dash = PATTERNS[s % len(PATTERNS)]
            out.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{colour}"'
                + (f' stroke="#ffffff" stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
            out.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - h - 3:.1f}" '
                f'text-anchor="middle">{escape(dataset["texts"][g])}</text>'
            )
        out.append(
            f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{top + plot_h + 14}" '
            f'text-anchor="middle">{escape(str(label)[:22])}</text>'
        )
    if len(datasets) > 1:
        for s, dataset in enumerate(datasets):
            x = left + (s % 4) * 150
            y = height - 30 + (s // 4) * 14
            out.append(f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{COLOURS[s % len(COLOURS)]}"/>')
            out.append(f'<text x="{x + 14}" y="{y + 1}">{escape(str(dataset["label"])[:24])}</text>')
    out.append("</svg>")
    return "".join(out)


def pdf_bytes(report: Report) -> tuple[bytes, str]:
    """The report as a PDF for the board, and its file name (rendered by the job worker)."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy; loaded when a PDF is made)

    html = render_to_string(
        "quality/report_pdf.html",
        {
            "report": report,
            "chart_svg": bar_chart_svg(report),
            "legend": _legend(),
        },
    )
    return HTML(string=html).write_pdf(), _filename(report, "pdf")


def to_pdf(report: Report) -> HttpResponse:
    pdf, filename = pdf_bytes(report)
    return pdf_response(pdf, filename)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Rendered in the request; the PDF is produced by the job worker (tasks.report_pdf_task).
FORMATS = {"csv": to_csv, "xlsx": to_xlsx}
