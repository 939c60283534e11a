"""The student list's table rows as HTML, built once per row in Python.

A page lists up to 50 students; in Django's template language each row took a URL
lookup and some ten node renders. Here the record's address is looked up once and each
row put together from strings, every value escaped as the template's autoescaping does
(``conditional_escape``); the markup is exactly what ``people/student_list.html`` wrote
row by row before (the template keeps the table around the rows).
"""

from django.urls import reverse
from django.utils.html import conditional_escape as e
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

ROW_ID = 987654321  # a stand-in id in the looked-up address, replaced by each student's


def fill_rows(students) -> None:
    """Set ``html`` on each listed student (labelled by ``label_students``)."""
    before, _id, after = reverse("people:student_detail", args=[ROW_ID]).rpartition(str(ROW_ID))
    protected = f' <span class="badge protected">{e(_("Protected identity"))}</span>'
    for s in students:
        start = s.enrolment_start.isoformat() if s.enrolment_start else ""
        end = f" – {e(s.enrolment_end.isoformat())}" if s.enrolment_end else ""
        s.html = mark_safe(
            "\n    <tr>\n"
            f'      <td><a href="{e(before + str(s.pk) + after)}">{e(s.display_name)}</a>'
            f"{protected if s.has_protected_identity else ''}</td>\n"
            f"      <td>{e(s.display_number)}</td>\n"
            f"      <td>{e(s.programme_code or '–')}</td>\n"
            f"      <td>{e(s.school_unit_name or '–')}</td>\n"
            f"      <td>{e(start or '–')}{end}</td>\n"
            "    </tr>\n  "
        )
