"""The team overview's table cells as HTML, built once per row in Python.

The page repeats these cells for every student (and the course chips for every
course): in Django's template language they took some 70 nodes a student and
10 a course, about 3,000 node renders for a team of 30, the largest part of
the page's time. Here each cell is one ``format_html`` call, its words
translated once a page; the markup is exactly what the template wrote before
(``progress/team_overview.html`` keeps the table around the cells).
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import OverviewRow

_CHIP = (
    '<li class="course-chip status-{}" title="{}"><span aria-hidden="true">{}</span> {}: <strong>{}</strong>{}{}</li>\n'
    "        "
)
_SPARKLINE = (
    '<svg class="sparkline" viewBox="0 0 100 24" width="80" height="20" role="img" aria-label="{}">'
    '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"/></svg>'
)
_DECISION_FORM = """
        <details class="decision-form"><summary>{record}</summary>
          <form method="post" action="{url}">
            {csrf}<input type="hidden" name="submission_key" value="{key}">
            <label for="kind-{id}">{kind}</label>
            <select name="kind" id="kind-{id}">{options}</select>
            <label for="text-{id}">{decision}</label>
            <textarea name="text" id="text-{id}" rows="2" required></textarea>
            <label for="follow-{id}">{follow}</label>
            <input type="date" name="follow_up_on" id="follow-{id}">
            <button type="submit">{save}</button>
          </form>
        </details>
      """


class OverviewCells:
    """Fills each row's cells; the words every row repeats are translated once."""

    def __init__(self, *, csrf_input: SafeString, kind_options: SafeString):
        self.csrf_input = csrf_input
        self.kind_options = kind_options
        self.grade = _("grade")
        self.no_courses = _("No course groups")
        self.sparkline_label = _("Attendance per week, last 8 weeks")
        self.trends = {
            "up": format_html('<span class="trend up">↑ {}</span>', _("rising")),
            "down": format_html('<span class="trend down">↓ {}</span>', _("falling")),
            "flat": format_html('<span class="trend flat">→ {}</span>', _("steady")),
        }
        self.no_plan = format_html('<span class="status status-far_behind">{}</span>', _("No plan"))
        self.review_due = format_html('<span class="status status-behind">▲ {}</span>', _("Review due"))
        self.reviewed = _("Reviewed")
        self.none = format_html('<span class="muted">{}</span>', _("None"))
        self.dash = mark_safe('<span class="muted">–</span>')
        self.form_words = {
            "record": _("Record a decision"),
            "kind": _("Kind"),
            "decision": _("Decision"),
            "follow": _("Follow up on"),
            "save": _("Save the decision"),
        }

    def fill(self, row: OverviewRow) -> None:
        row.courses_html = self.courses(row)
        row.attendance_html = self.attendance(row)
        row.plan_html = self.plan(row)
        row.signals_html = self.signals(row)
        row.decision_html = self.decision(row)

    def courses(self, row: OverviewRow) -> SafeString:
        if not row.courses:
            chips = format_html('<li class="muted">{}</li>\n        ', self.no_courses)
        else:
            chips = format_html_join(
                "",
                _CHIP,
                (
                    (
                        line.status,
                        line.title,
                        line.symbol,
                        line.subject,
                        line.label,
                        format_html(" ({}/{})", line.position, line.standing.goal) if line.position else "",
                        format_html(" · {} {}", self.grade, line.grade) if line.grade else "",
                    )
                    for line in row.courses
                ),
            )
        return format_html('<ul class="course-chips">\n        {}\n      </ul>', chips)

    def attendance(self, row: OverviewRow) -> SafeString:
        number = format_html('<span class="num">{}</span>', row.attendance_text) if row.attendance_text else self.dash
        line = format_html(_SPARKLINE, self.sparkline_label, row.sparkline_points) if row.sparkline_points else ""
        return format_html("\n        {}\n        {}\n        {}\n      ", number, line, self.trends.get(row.trend, ""))

    def plan(self, row: OverviewRow) -> SafeString:
        p = row.plan_status
        if p is None:
            return self.dash
        if not p.has_plan:  # type: ignore[attr-defined]
            return self.no_plan
        if p.review_due or p.plan_late:  # type: ignore[attr-defined]
            if p.last_reviewed_on:  # type: ignore[attr-defined]
                return format_html('{}<br><span class="muted">{}</span>', self.review_due, row.reviewed_on)
            return self.review_due
        return format_html(
            '<span class="status status-in_line">● {}</span> <span class="muted">{}</span>',
            self.reviewed,
            row.reviewed_on,
        )

    def signals(self, row: OverviewRow) -> SafeString:
        if not row.signals:
            return self.none
        items = format_html_join(
            "", '<li class="signal signal-{}">⚑ {}</li>', ((s.kind, s.message) for s in row.signals)
        )
        return format_html('<ul class="signals">{}</ul>', items)

    def decision(self, row: OverviewRow) -> SafeString:
        latest = format_html('<p class="small">{}</p>', row.decision) if row.decision else ""
        return format_html(
            "\n        {}" + _DECISION_FORM,
            latest,
            url=row.decision_url,
            csrf=self.csrf_input,
            key=row.submission_key,
            id=row.id,
            options=self.kind_options,
            **self.form_words,
        )
