"""The demo has handovers in every status, for the sending_school login and the counsellor."""

import datetime

import pytest
from django.contrib.auth.models import User

from studievag.demo.services import demo_seed
from studievag.handover import selectors
from studievag.handover.models import Handover, Status
from studievag.people.models import GuardianLink, Student

pytestmark = pytest.mark.demo

TODAY = datetime.date(2026, 11, 29)


@pytest.mark.django_db
def test_the_demo_has_handovers_in_every_status_and_students_without_a_personnummer():
    demo_seed(students=120, today=TODAY)
    sending = User.objects.get(username="sending_school")
    counsellor = User.objects.get(username="counsellor")

    own = selectors.outgoing(sending)
    assert {h.status for h in own} == set(Status.values)
    assert own.filter(destination=Handover.Destination.QUEUE).count() == 1
    assert own.filter(protected_identity=True, contact_person=counsellor).count() == 1
    incoming = selectors.incoming(counsellor)
    assert incoming.filter(status=Status.SENT).exists()
    assert selectors.overdue(incoming, TODAY).count() >= 1
    kinds = {s.identity_kind for s in Student.objects.all()}
    assert {"personnummer", "samordningsnummer", "reserve", "interim"} <= kinds
    assert GuardianLink.objects.filter(relation=GuardianLink.Relation.LEGAL_REPRESENTATIVE).count() == 1
    # The demo student came with a handover: the student and guardian see the contact person.
    assert Handover.objects.filter(student__user__username="student", contact_person=counsellor).exists()
