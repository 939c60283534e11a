"""Within one request an access question is asked of the database once."""

import collections
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studievag.access import policy
from studievag.access.permissions import RECORD


def _repeated(queries) -> list[str]:
    counts = collections.Counter(re.sub(r"\s+", " ", q["sql"]) for q in queries)
    return [sql for sql, n in counts.items() if n > 1 and "SAVEPOINT" not in sql]


def test_the_same_question_about_a_student_is_answered_once(cast, django_assert_num_queries):
    user = cast.mentor_a
    policy.grants_for(user)
    with django_assert_num_queries(1):  # the mentor group reaches alice: one query
        assert policy.grounds(user, cast.alice, RECORD) == ["mentor"]
        assert policy.may_view(user, cast.alice, RECORD)
        assert policy.may_view(user, cast.alice.pk, RECORD)
        assert policy.grounds(user, cast.alice, RECORD) == ["mentor"]
    with django_assert_num_queries(1):  # another student, another question
        assert not policy.may_view(user, cast.bertil, RECORD)


def test_a_new_request_asks_again(cast, login):
    """The answers live with the request's user: a later request sees a changed scope."""
    client = login(cast.mentor_a)
    url = reverse("people:student_detail", args=[cast.alice.pk])
    assert client.get(url).status_code == 200
    cast.alice.memberships.filter(group=cast.mentor_group_a).delete()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("mentor_a", "people:student_detail"),
        ("principal_a", "people:student_detail"),
        ("counsellor_a", "people:student_detail"),
        ("mentor_a", "plans:plan_detail"),
        ("principal_a", "plans:plan_detail"),
    ],
)
def test_a_student_page_runs_no_query_twice(cast, login, who, page):
    client = login(getattr(cast, who))
    url = reverse(page, args=[cast.alice.pk])
    client.get(url)  # the session exists
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert _repeated(ctx.captured_queries) == []


def test_fetching_a_student_for_a_page_answers_the_grounds_in_the_same_query(cast, rf, django_assert_num_queries):
    """``student_for_view`` asks which roles reach the student in the query that fetches it:
    the read-log row's grounds and every later question about the student cost nothing."""
    from studievag.access.permissions import GUARDIANS
    from studievag.audit.models import RecordRead

    user = cast.principal_a
    policy.grants_for(user)
    request = rf.get("/students/")
    request.user = user
    with django_assert_num_queries(2):  # the student with the grounds, the read-log rows
        student = policy.student_for_view(request, cast.alice.pk, [RECORD], also=[GUARDIANS])
    with django_assert_num_queries(0):
        assert policy.grounds(user, student, RECORD) == ["principal"]
        assert policy.may_view(user, student, GUARDIANS)
    logged = RecordRead.objects.filter(student=cast.alice, user=user)
    assert sorted(logged.values_list("part", "roles")) == [(GUARDIANS, "principal"), (RECORD, "principal")]


def test_a_student_out_of_scope_is_404_and_nothing_is_logged(cast, rf):
    from django.http import Http404

    from studievag.audit.models import RecordRead

    request = rf.get("/students/")
    request.user = cast.mentor_a
    with pytest.raises(Http404):
        policy.student_for_view(request, cast.bertil.pk, [RECORD])
    assert not RecordRead.objects.filter(student=cast.bertil).exists()
