"""The student's support needs: one page, reached from the record and from the plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from studievag.access.policy import abilities, label_students, student_for_view
from studievag.form_errors import errors_to_form

from .forms import SupportNeedsForm
from .permissions import SUPPORT_NEEDS
from .selectors import support_needs_entries
from .services import support_needs_record


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
                support_needs_record(acting_user=request.user, student=student, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The support needs were saved."))
                return redirect(here, pk=student.pk)
    return render(
        request,
        "support/support_needs.html",
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
        request, pk, here="support:needs", back=("people:student_detail", _("Back to the record"))
    )
