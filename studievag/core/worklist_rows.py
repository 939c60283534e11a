"""The worklists' table rows as HTML, built once per row in Python.

A principal's page shows up to 50 rows, each some 40 template nodes: in Django's
template language the table was the largest part of the start page's time. Here a row
is put together from strings, every value escaped as the template's autoescaping does
(``conditional_escape``) and the words every row repeats translated once a page; the
markup is exactly what ``core/includes/worklist_table.html`` wrote row by row before
(the include keeps the table around the rows).
"""

from django.utils.html import conditional_escape as e
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .selectors import WorklistRow


class WorklistRows:
    """Sets ``row.html`` on each row; the repeated words translated (and escaped) once."""

    def __init__(self) -> None:
        self.unit_word = e(_("School unit"))
        self.status_word = e(_("Plan status"))
        self.signals_word = e(_("Early signals"))
        self.talk_word = e(_("Plan talk"))
        self.todo_word = e(_("To do"))
        self.protected = f' <span class="badge protected">{e(_("Protected identity"))}</span>'
        self.no_signals = f'<span class="muted">{e(_("No signals"))}</span>'

    def fill(self, rows: list[WorklistRow], *, show_unit: bool) -> None:
        for row in rows:
            row.html = mark_safe(self.row(row, show_unit=show_unit))  # type: ignore[attr-defined]

    def row(self, row: WorklistRow, *, show_unit: bool) -> str:
        s = row.student
        name = e(s.display_name)
        protected = self.protected if s.has_protected_identity and not s.name_hidden else ""
        born = ""
        if row.same_name:
            day = s.date_of_birth.isoformat() if s.date_of_birth else ""
            born = f'<span class="wl-tell-apart">{_("born %(date)s") % {"date": e(day)}}</span>'
        unit = f'<td data-label="{self.unit_word}">{e(row.unit_name)}</td>' if show_unit else ""
        badges = "".join(
            f'<li><span class="badge {e(b.tone)} status-{e(b.key)}">{e(b.label)}</span></li>' for b in row.badges
        )
        if row.signals:
            signals = '<ul class="wl-signals">' + "".join(f"<li>{e(sig.message)}</li>" for sig in row.signals) + "</ul>"
        else:
            signals = self.no_signals
        talk = ""
        if row.next_talk:
            overdue = "wl-overdue" if row.talk_overdue else ""
            talk = f'<span class="{overdue}">{e(row.next_talk_text)}</span><br>'
        talk += f'<span class="muted">{e(row.last_talk_text)}</span>'
        action = ""
        if row.action:
            action = (
                f'<a class="wl-action" href="{e(row.action[1])}">{e(row.action[0])}'
                f'<span class="visually-hidden"> – {name}</span></a>'
            )
        return (
            "\n    <tr>\n"
            f'      <th scope="row" class="wl-name"><a href="{e(row.url)}">{name}</a>{protected}{born}</th>\n'
            f"      {unit}\n"
            f'      <td data-label="{self.status_word}"><ul class="wl-badges">{badges}</ul></td>\n'
            f'      <td data-label="{self.signals_word}">{signals}</td>\n'
            f'      <td class="wl-talk" data-label="{self.talk_word}">{talk}</td>\n'
            f'      <td data-label="{self.todo_word}">{action}</td>\n'
            "    </tr>\n  "
        )
