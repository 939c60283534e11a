"""The exit and the outcome against the plan on the student's record (``{% outcomes_card student %}``).

Shown to those who may see the ``outcomes`` part; when there is an exit to
show, the card logs that read (the record page logs its own parts).
"""

from django import template
from django.utils import timezone

from studievag.access.policy import abilities, grounds, may_view
from studievag.audit.services import audit_record_read
from studievag.enrolments.models import Enrolment

from .. import rules
from ..permissions import OUTCOMES
from ..selectors import exit_of

register = template.Library()


@register.inclusion_tag("outcomes/outcomes_card.html", takes_context=True)
def outcomes_card(context, student):
    request = context["request"]
    user = request.user
    if not may_view(user, student, OUTCOMES):
        return {"show": False}
    today = timezone.localdate()
    active = Enrolment.objects.filter(student=student, end_date__isnull=True).exists()
    exit = None if active else exit_of(student)
    latest = None
    if exit:
        # Only an exit shows something of this part: then the read is logged.
        audit_record_read(request=request, student=student, parts=[OUTCOMES], roles=grounds(user, student, OUTCOMES))
        done = [f for f in exit.follow_ups.all() if f.outcome]
        latest = done[-1] if done else None
        if latest:
            latest.stale = rules.is_stale(latest.outcome_on, today)
    return {
        "show": True,
        "student": student,
        "exit": exit,
        "latest": latest,
        "may_record_exit": active and "record_exit" in abilities(user, student, "exit"),
    }
