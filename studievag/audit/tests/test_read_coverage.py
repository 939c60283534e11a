"""Every page that shows a student's data logs what it showed, once per view."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from studievag.audit.models import RecordRead
from studievag.progress.tests.helpers import ensure_course

pytestmark = pytest.mark.django_db


def _reads(user) -> Counter:
    return Counter((r.student_id, r.part) for r in RecordRead.objects.filter(user=user))


def test_the_guardians_part_on_the_student_record_is_logged_once(cast, login):
    client = login(cast.counsellor_a)
    client.get(reverse("people:student_detail", kwargs={"pk": cast.alice.pk}))
    assert _reads(cast.counsellor_a) == {
        (cast.alice.pk, "record"): 1,
        (cast.alice.pk, "background"): 1,
        (cast.alice.pk, "enrolments"): 1,
        (cast.alice.pk, "guardians"): 1,
    }


@pytest.mark.parametrize("who", ["mentor_a", "counsellor_a", "principal_a"])
def test_a_plan_page_logs_each_part_once(cast, login, who):
    user = getattr(cast, who)
    login(user).get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk}))
    reads = _reads(user)
    assert reads and set(reads.values()) == {1}


def test_the_student_list_logs_each_student_shown(cast, login):
    login(cast.mentor_a).get(reverse("people:student_list"))
    assert _reads(cast.mentor_a) == {
        (cast.alice.pk, "record"): 1,
        (cast.adam.pk, "record"): 1,
        (cast.protected.pk, "record"): 1,
    }


def test_the_teachers_grid_logs_progress_of_each_member(cast, login):
    ensure_course(cast)
    login(cast.teacher_a).get(reverse("progress:grid", kwargs={"pk": cast.course_group_a.pk}))
    assert _reads(cast.teacher_a) == {
        (cast.alice.pk, "record"): 1,
        (cast.alice.pk, "progress"): 1,
        (cast.adam.pk, "record"): 1,
        (cast.adam.pk, "progress"): 1,
    }


def test_the_team_overview_logs_each_student_shown(cast, login):
    login(cast.mentor_a).get(reverse("progress:team_group", kwargs={"pk": cast.mentor_group_a.pk}))
    reads = _reads(cast.mentor_a)
    assert {s for s, _p in reads} == {cast.alice.pk, cast.adam.pk, cast.protected.pk}
    assert {p for _s, p in reads} == {"record", "progress"}
    assert set(reads.values()) == {1}


def test_the_plan_list_logs_each_student_shown(cast, login):
    login(cast.mentor_a).get(reverse("plans:plan_list"))
    assert _reads(cast.mentor_a) == {
        (cast.alice.pk, "plan"): 1,
        (cast.adam.pk, "plan"): 1,
        (cast.protected.pk, "plan"): 1,
    }


def test_a_second_view_is_a_second_read(cast, login):
    client = login(cast.mentor_a)
    url = reverse("people:student_detail", kwargs={"pk": cast.alice.pk})
    client.get(url)
    client.get(url)
    assert _reads(cast.mentor_a)[(cast.alice.pk, "record")] == 2


def test_the_students_own_reads_are_not_listed_to_them(cast, login, settings):
    settings.LANGUAGE_CODE = "en"
    login(cast.mentor_a).get(reverse("people:student_detail", kwargs={"pk": cast.alice.pk}))
    client = login(cast.student)
    client.get(reverse("people:family_student", kwargs={"pk": cast.alice.pk}))
    assert RecordRead.objects.filter(user=cast.student).exists()  # logged all the same
    response = client.get(reverse("people:family_reads"))
    shown = list(response.context["page"].object_list)
    assert shown and {r.username for r in shown} == {"mentor_a"}


def test_the_principals_log_filters_by_date_range_and_student_name(cast, login):
    login(cast.mentor_a).get(reverse("people:student_detail", kwargs={"pk": cast.alice.pk}))
    login(cast.mentor_a).get(reverse("people:student_detail", kwargs={"pk": cast.adam.pk}))
    old = RecordRead.objects.filter(student=cast.adam)
    old.update(at=timezone.now() - datetime.timedelta(days=40))
    client = login(cast.principal_a)
    log = reverse("audit:read_log")
    today = timezone.localdate()

    recent = client.get(log, {"from": (today - datetime.timedelta(days=7)).isoformat()})
    assert {r.student_id for r in recent.context["page"].object_list} == {cast.alice.pk}
    earlier = client.get(log, {"to": (today - datetime.timedelta(days=30)).isoformat()})
    assert {r.student_id for r in earlier.context["page"].object_list} == {cast.adam.pk}
    by_name = client.get(log, {"name": "abdi"})
    assert {r.student_id for r in by_name.context["page"].object_list} == {cast.adam.pk}
    by_part = client.get(log, {"part": "guardians", "name": "alice"})
    assert {(r.student_id, r.part) for r in by_part.context["page"].object_list} <= {(cast.alice.pk, "guardians")}
