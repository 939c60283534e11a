"""`make demo` gives the mentor a worklist with something to do, of every kind."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from studievag.core.selectors import WorkStatus, worklists
from studievag.demo.services import demo_seed
from studievag.people.models import Student

pytestmark = pytest.mark.demo


@pytest.mark.django_db
def test_the_demo_mentor_and_principal_have_a_worklist_with_a_mix_of_statuses():
    assert not Student.objects.exists(), "the demo is built into a database without students"
    demo_seed(students=80)
    today = timezone.localdate()

    mentees = worklists(User.objects.get(username="mentor"), on=today).mentees
    statuses = {row.statuses[0] for row in mentees}
    assert {WorkStatus.LATE, WorkStatus.REVIEW_DUE, WorkStatus.APPROVED} <= statuses
    assert statuses & {WorkStatus.CHANGED, WorkStatus.NOT_APPROVED}
    assert any(row.next_talk for row in mentees) and any(row.last_talk for row in mentees)
    units = worklists(User.objects.get(username="principal"), on=today).units
    assert units and all(unit.rows for unit in units)
