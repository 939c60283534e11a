"""Writes for enrolments. Ending one changes who may see the student, so it is a named
service with the acting user, and the enrolment's history keeps who, when and why."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enrolment, GroupMembership


@transaction.atomic
def enrolment_end(
    *, acting_user, enrolment: Enrolment, end_date: datetime.date, reason: str, why: str = ""
) -> Enrolment:
    """End an active enrolment on ``end_date`` (its last day) with a reason for leaving.

    The student's memberships of the unit's groups end the same day, so mentors
    and teachers stop reaching the student; what staff at the unit see after
    that is the access policy's rule for former students.
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.end_date is not None:
        raise ValidationError(_("The enrolment has already ended."))
    if end_date < enrolment.start_date:
        raise ValidationError({"end_date": _("The last day is before the enrolment started.")})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": _("The last day cannot be in the future.")})
    if reason not in Enrolment.ExitReason.values:
        raise ValidationError({"reason": _("Choose a reason for leaving.")})
    enrolment.end_date = end_date
    enrolment.exit_reason = reason
    enrolment._history_user = acting_user
    enrolment._change_reason = why or _("Left the programme")
    enrolment.full_clean()
    enrolment.save()
    open_memberships = GroupMembership.objects.filter(
        student_id=enrolment.student_id, group__school_unit_id=enrolment.school_unit_id, end_date__isnull=True
    )
    open_memberships.filter(start_date__lte=end_date).update(end_date=end_date)
    # A membership begun after the last day (an exit recorded late) ends on its first day.
    open_memberships.filter(start_date__gt=end_date).update(end_date=F("start_date"))
    return enrolment
