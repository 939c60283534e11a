"""The mapping at intake (staff) and the student's support needs (need to know)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.policy import Part, abilities, label_students, may, student_for_view
from studievag.progress.selectors import ScaleBook

from . import services
from .forms import IntakeForm, SupportNeedsForm
from .permissions import SUPPORT_NEEDS
from .selectors import (
    mapping_of,
    may_edit_intake,
    organiser_of,
    subjects_to_map,
    support_needs_entries,
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
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The mapping at intake was saved."))
            return redirect("people:student_detail", pk=student.pk)
    label_students(request.user, [student])
    return render(request, "intake/intake_form.html", {"form": form, "student": student, "mapping": mapping})


def support_needs_page(request, pk: int, *, here: str, back: tuple[str, str]):
    """Support needs, the same page from intake and from the plan: the current text, the
    change form for those who record them, and every earlier entry (who, when, why).

    Reading is need-to-know and logged by ``student_for_view``; ``here`` is this URL's
    name, ``back`` the (URL name, label) to return to.
    """
    student = student_for_view(request, pk, [SUPPORT_NEEDS])
    label_students(request.user, [student])
    entries = list(support_needs_entries(student))
    current = entries[0] if entries else None
    may_record = "record" in abilities(request.user, student, "support_needs")
    form = SupportNeedsForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.support_needs_record(acting_user=request.user, student=student, **form.cleaned_data)
            except ValidationError as error:
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, _("The support needs were saved."))
                return redirect(here, pk=student.pk)
    return render(
        request,
        "intake/support_needs.html",
        {
            "student": student,
            "current": current if current and current.text else None,
            "entries": entries,
            "form": form if may_record else None,
            "back_url": reverse(back[0], kwargs={"pk": student.pk}),
            "back_label": back[1],
        },
    )


@login_required
def support_needs(request, pk: int):
    return support_needs_page(
        request, pk, here="intake:support_needs", back=("people:student_detail", _("Back to the record"))
    )
