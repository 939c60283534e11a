import datetime

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from studievag.access.decorators import require_action
from studievag.access.policy import Part, label_students, names_visible_students, part_labels, visible_students
from studievag.people.models import Student

from .selectors import reads_visible_to


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_action("audit.school_log")
def read_log(request):
    """The principal's view of who read which student's record, at own units."""
    reads = reads_visible_to(request.user)
    if username := request.GET.get("user", "").strip():
        reads = reads.filter(username__icontains=username)
    if part := request.GET.get("part", ""):
        reads = reads.filter(part=part)
    since, until = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if since:
        reads = reads.filter(at__date__gte=since)
    if until:
        reads = reads.filter(at__date__lte=until)
    if name := request.GET.get("name", "").strip()[:100]:
        # The student by name, among the students whose log this user may see.
        for word in name.split()[:3]:
            reads = reads.filter(Q(student__first_name__icontains=word) | Q(student__last_name__icontains=word))
        reads = reads.exclude(
            ~Q(student__security_marking=Student.SecurityMarking.NONE)
            & ~Q(student__in=names_visible_students(request.user).values("pk"))
        )
    shown_student = None
    if (student := request.GET.get("student", "")) and student.isdigit():
        reads = reads.filter(student_id=int(student))
        shown_student = visible_students(request.user, Part.AUDIT_LOG).filter(pk=int(student)).first()
        if shown_student:
            label_students(request.user, [shown_student])
    page = Paginator(reads, 100).get_page(request.GET.get("page"))
    # One instance per student, so each is labelled once for all its rows.
    by_pk = {}
    for r in page.object_list:
        r.student = by_pk.setdefault(r.student_id, r.student)
    label_students(request.user, by_pk.values())
    return render(
        request,
        "audit/read_log.html",
        {
            "page": page,
            "params": request.GET,
            "parts": part_labels(),
            "shown_student": shown_student,
        },
    )
