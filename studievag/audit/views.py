from django.core.paginator import Paginator
from django.shortcuts import render

from studievag.access.decorators import require_action
from studievag.access.policy import Part, label_students, part_labels, visible_students

from .selectors import reads_visible_to


@require_action("audit.school_log")
def read_log(request):
    """The principal's view of who read which student's record, at own units."""
    reads = reads_visible_to(request.user)
    if username := request.GET.get("user", "").strip():
        reads = reads.filter(username__icontains=username)
    if part := request.GET.get("part", ""):
        reads = reads.filter(part=part)
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
