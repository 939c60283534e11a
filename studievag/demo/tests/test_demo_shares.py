"""A bigger demo than the other demo tests share: the programmes' shares."""

import datetime
from collections import Counter

import pytest

from studievag.demo.services import demo_seed
from studievag.enrolments.models import Enrolment

pytestmark = pytest.mark.demo

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.django_db
def test_programme_shares_look_like_the_national_ones(db):
    demo_seed(students=200, today=TODAY)
    current = Counter(Enrolment.objects.active_on(TODAY).values_list("programme__code", flat=True))
    total = sum(current.values())

    assert set(current) == {"IMS", "IMY", "IMV", "IMA"}
    assert total == 200
    for code, n in current.items():
        assert 0.08 <= n / total <= 0.5, (code, n, total)
    # Language introduction is the largest, as in the national statistics.
    assert current.most_common(1)[0][0] == "IMS"
