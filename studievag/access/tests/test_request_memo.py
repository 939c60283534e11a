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
