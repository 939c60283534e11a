"""The mapping at intake (staff) and the student's support needs (need to know)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.policy import Part, label_students, may, student_for_view
from studievag.form_errors import errors_to_form
from studievag.scales.selectors import ScaleBook

from . import services
from .forms import IntakeForm
from .selectors import (
    mapping_of,
    may_edit_intake,
    organiser_of,
    subjects_to_map,
)


@login_required
def intake_edit(request, pk: int):
    if not may(request.user, "intake.edit"):
        raise PermissionDenied
    student = student_for_view(request, pk, [Part.BACKGROUND])
    if not may_edit_intake(request.user, student):
        raise PermissionDenied
    today = timezone.localdate()
    mapping = mapping_of(student)
    organiser_id = organiser_of(student, today)
    subjects = subjects_to_map(student, today)
    book = ScaleBook([organiser_id])
    scales = {s.pk: book.for_subject(organiser_id, s.code) for s in subjects}
    levels = {lv.subject_id: lv.step_id for lv in mapping.starting_levels.all()} if mapping else {}
    form = IntakeForm(
        request.POST or None,
        instance=mapping,
        subjects=subjects,
        scales=scales,
        levels=levels,
        initial={"mapped_on": today} if mapping is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_save(
                acting_user=request.user,
                student=student,
                values=form.cleaned_data,
                levels=form.levels(),
                organiser_id=organiser_id,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The mapping at intake was saved."))
            return redirect("people:student_detail", pk=student.pk)
    label_students(request.user, [student])
    return render(request, "intake/intake_form.html", {"form": form, "student": student, "mapping": mapping})
