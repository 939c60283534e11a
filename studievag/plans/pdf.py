"""The plan as a PDF (WeasyPrint), the same plain-language content as the family page.

DejaVu Sans covers Swedish å/ä/ö and Arabic (WeasyPrint shapes Arabic through
HarfBuzz); the page direction follows the active language.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language_bidi

from studievag.access.policy import PROTECTED_LABEL

from .models import Plan
from .selectors import next_review_on, plan_detail_context


def plan_pdf(request, plan: Plan) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (heavy; loaded when a PDF is made)

    student = plan.student
    context = {
        "student": student,
        "plan": plan,
        "today": timezone.localdate(),
        "rtl": get_language_bidi(),
        "next_review": next_review_on(plan),
        # Protected identity: the PDF may travel to another school, so no name at all.
        "name": PROTECTED_LABEL if student.has_protected_identity else student.full_name,
        **plan_detail_context(plan, full=False),
    }
    html = render_to_string("plans/plan_pdf.html", context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
