"""The mapping at intake on the student's record (``{% intake_card student %}``).

The mapping is part of the background, whose read the record page already
logs. Support needs are not shown here: the card links to their own page,
which logs the read.
"""

from django import template

from studievag.access.policy import may, may_view
from studievag.support.permissions import SUPPORT_NEEDS

from ..selectors import mapping_of, may_edit_intake

register = template.Library()


@register.inclusion_tag("intake/intake_card.html", takes_context=True)
def intake_card(context, student):
    user = context["request"].user
    return {
        "student": student,
        "mapping": mapping_of(student),
        "may_edit": may(user, "intake.edit") and may_edit_intake(user, student),
        "may_support_needs": may_view(user, student, SUPPORT_NEEDS),
        "may_progress": may(user, "progress.view") and may_view(user, student, "progress"),
    }
