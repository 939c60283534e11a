from django.shortcuts import render

from studievag.access.decorators import require_action

from .models import CURRENT_PROGRAMMES
from .selectors import MIN_COUNT, current_student_counts


@require_action("organisation.overview")
def overview(request):
    """Group-level overview for analysts and regional coordinators."""
    return render(
        request,
        "organisations/overview.html",
        {
            "rows": current_student_counts(request.user),
            "programmes": CURRENT_PROGRAMMES,
            "min_count": MIN_COUNT,
        },
    )
