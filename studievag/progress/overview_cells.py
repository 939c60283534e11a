"""The team overview's table cells as HTML, built once per row in Python.

The page repeats these cells for every student (and the course chips for every
course): in Django's template language they took some 70 nodes a student and
10 a course, about 3,000 node renders for a team of 30, the largest part of
the page's time. Here each cell is put together from strings, every value
escaped (``escape``, which is what the template's autoescaping does) and the
words translated once a page; the markup is exactly what the template wrote
before (``progress/team_overview.html`` keeps the table around the cells).
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import OverviewLine, OverviewRow

_DECISION_FORM = """
        {latest}
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
    """Fills each row's cells; the words every row repeats are translated (and escaped) once.

    Status names, symbols and signal kinds are the code's own constants; every other value
    is escaped."""

    def __init__(self, *, csrf_input: SafeString, kind_options: SafeString):
        self.grade = escape(_("grade"))
        self.no_courses = f'<li class="muted">{escape(_("No course groups"))}</li>\n        '
        self.sparkline = (
            '<svg class="sparkline" viewBox="0 0 100 24" width="80" height="20" role="img" '
            f'aria-label="{escape(_("Attendance per week, last 8 weeks"))}">'
            '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"/></svg>'
        )
        self.trends = {
            "up": f'<span class="trend up">↑ {escape(_("rising"))}</span>',
            "down": f'<span class="trend down">↓ {escape(_("falling"))}</span>',
            "flat": f'<span class="trend flat">→ {escape(_("steady"))}</span>',
        }
        self.no_plan = f'<span class="status status-far_behind">{escape(_("No plan"))}</span>'
        self.review_due = f'<span class="status status-behind">▲ {escape(_("Review due"))}</span>'
        self.reviewed = f'<span class="status status-in_line">● {escape(_("Reviewed"))}</span>'
        self.none = f'<span class="muted">{escape(_("None"))}</span>'
        self.dash = '<span class="muted">–</span>'
        self.form = {
            "csrf": str(csrf_input),
            "options": str(kind_options),
            "record": escape(_("Record a decision")),
            "kind": escape(_("Kind")),
            "decision": escape(_("Decision")),
            "follow": escape(_("Follow up on")),
            "save": escape(_("Save the decision")),
        }

    def fill(self, row: OverviewRow) -> None:
        """The row's whole table row (``row.html``), with the whitespace the template's loop had."""
        row.html = mark_safe(
            f'\n    <tr data-student="{escape(row.id)}">\n'
            f'      <th scope="row"><a href="{escape(row.url)}">{escape(str(row.student.display_name))}</a></th>\n'
            f"      <td>{self.courses(row)}</td>\n"
            f'      <td class="attendance-cell">{self.attendance(row)}</td>\n'
            f"      <td>{self.plan(row)}</td>\n"
            f"      <td>{self.signals(row)}</td>\n"
            f"      <td>{self.decision(row)}</td>\n"
            "    </tr>\n  "
        )

    def chip(self, line: OverviewLine) -> str:
        steps = f" ({line.position}/{line.standing.goal})" if line.position else ""
        grade = f" · {self.grade} {escape(line.grade)}" if line.grade else ""
        return (
            f'<li class="course-chip status-{line.status}" title="{escape(line.title)}">'
            f'<span aria-hidden="true">{line.symbol}</span> {escape(line.subject)}: '
            f"<strong>{escape(line.label)}</strong>{steps}{grade}</li>\n        "
        )

    def courses(self, row: OverviewRow) -> str:
        chips = "".join(self.chip(line) for line in row.courses) if row.courses else self.no_courses
        return f'<ul class="course-chips">\n        {chips}\n      </ul>'

    def attendance(self, row: OverviewRow) -> str:
        number = f'<span class="num">{escape(row.attendance_text)}</span>' if row.attendance_text else self.dash
        line = self.sparkline.format(escape(row.sparkline_points)) if row.sparkline_points else ""
        return f"\n        {number}\n        {line}\n        {self.trends.get(row.trend, '')}\n      "

    def plan(self, row: OverviewRow) -> str:
        p = row.plan_status
        if p is None:
            return self.dash
        if not p.has_plan:  # type: ignore[attr-defined]
            return self.no_plan
        if p.review_due or p.plan_late:  # type: ignore[attr-defined]
            if p.last_reviewed_on:  # type: ignore[attr-defined]
                return f'{self.review_due}<br><span class="muted">{escape(row.reviewed_on)}</span>'
            return self.review_due
        return f'{self.reviewed} <span class="muted">{escape(row.reviewed_on)}</span>'

    def signals(self, row: OverviewRow) -> str:
        if not row.signals:
            return self.none
        items = "".join(f'<li class="signal signal-{s.kind}">⚑ {escape(s.message)}</li>' for s in row.signals)
        return f'<ul class="signals">{items}</ul>'

    def decision(self, row: OverviewRow) -> str:
        latest = f'<p class="small">{escape(row.decision)}</p>' if row.decision else ""
        return _DECISION_FORM.format(
            latest=latest, url=escape(row.decision_url), key=row.submission_key, id=escape(row.id), **self.form
        )
