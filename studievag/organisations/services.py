"""Writes of the organisations area: staff development records.

Who may record for whom is decided above (the effect chain area's pages ask
the access engine first); this layer only validates and saves.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Organiser, StaffTraining


@transaction.atomic
def staff_training_record(
    *,
    acting_user,
    person,
    organiser: Organiser,
    topic: str,
    title: str,
    completed_on: datetime.date,
    provider: str = "",
) -> StaffTraining:
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("Record training once it has been completed.")})
    training = StaffTraining(
        person=person,
        organiser=organiser,
        topic=topic,
        title=(title or "").strip(),
        provider=(provider or "").strip(),
        completed_on=completed_on,
        recorded_by=acting_user,
    )
    training.full_clean()
    training.save()
    return training
