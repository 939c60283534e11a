"""The API's access matrix: every endpoint × every scope, and the tokens and accounts that get nothing.

* A token with exactly one scope reaches the endpoints of that scope (200) and gets 403 elsewhere.
* No token, a malformed, unknown, revoked or expired token, or a deactivated account: 401.
* A token with every scope whose account holds no role, or a role the endpoint's action does
  not allow (an analyst's for a student's data), gets 403: the engine decides, not the scope.
* A denied write leaves the database as it was.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from studievag.access.models import Role
from studievag.api import services
from studievag.api.models import IntegrationToken, Scope
from studievag.progress.models import AttendanceWeek, ProgressRecord
from studievag.testing import assign

from .endpoints import ENDPOINTS


@pytest.fixture
def cast(shared_cast):
    # Thousands of cases only call pages: one cast per module, a copy per test.
    return shared_cast


SCOPES = sorted(Scope.values)
DOCS = {"api:schema", "api:docs", "api:redoc"}


def _url(name, kwargs, cast) -> str:
    return reverse(name, kwargs=kwargs(cast) if kwargs else None)


def _call(api, name, method, kwargs, body, cast, token):
    url = _url(name, kwargs, cast)
    return api.call(method, url, token, body(cast) if body else None)


def test_every_endpoint_is_in_the_matrix():
    resolver = next(r for r in get_resolver().url_patterns if getattr(r, "namespace", None) == "api")
    named = {f"api:{p.name}" for p in resolver.url_patterns if p.name}
    assert named - DOCS == {e[0] for e in ENDPOINTS}


CASES = [(e, scope) for e in ENDPOINTS for scope in SCOPES]


@pytest.mark.parametrize(("endpoint", "scope"), CASES, ids=[f"{e[0][4:]}-{s}" for e, s in CASES])
def test_one_scope(endpoint, scope, api, cast, issue):
    name, method, kwargs, body, allowed = endpoint
    response = _call(api, name, method, kwargs, body, cast, issue(scope))
    if scope in allowed:
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "application/json"
    else:
        assert response.status_code == 403, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert "scope" in response.json()["detail"]


def _revoked(cast, integration, issue):
    token = issue(*SCOPES)
    row = IntegrationToken.objects.get(prefix=token.split("_")[1])
    services.token_revoke(acting_user=cast.admin, token=row, reason="Leverantören bytt")
    return token


def _expired(cast, integration, issue):
    token = issue(*SCOPES)
    IntegrationToken.objects.filter(prefix=token.split("_")[1]).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    return token


def _account_off(cast, integration, issue):
    token = issue(*SCOPES)
    integration.account.is_active = False
    integration.account.save()
    return token


def _tampered(cast, integration, issue):
    token = issue(*SCOPES)
    return token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")


BAD_TOKENS = {
    "none": lambda c, i, issue: None,
    "malformed": lambda c, i, issue: "not-a-token",
    "unknown": lambda c, i, issue: "svi_0123456789_" + "x" * 43,
    "tampered": _tampered,
    "revoked": _revoked,
    "expired": _expired,
    "account_deactivated": _account_off,
}
BAD_CASES = [(e, kind) for e in ENDPOINTS for kind in BAD_TOKENS]


@pytest.mark.parametrize(("endpoint", "kind"), BAD_CASES, ids=[f"{e[0][4:]}-{k}" for e, k in BAD_CASES])
def test_no_valid_token_is_401(endpoint, kind, api, cast, integration, issue):
    name, method, kwargs, body, _allowed = endpoint
    token = BAD_TOKENS[kind](cast, integration, issue)
    records, weeks = ProgressRecord.objects.count(), AttendanceWeek.objects.count()
    response = _call(api, name, method, kwargs, body, cast, token)
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="studievag"'
    assert (ProgressRecord.objects.count(), AttendanceWeek.objects.count()) == (records, weeks)


def test_a_session_is_not_a_token(api, cast, client):
    """Signed in to the pages as the principal: the API still wants a token."""
    client.force_login(cast.principal_a)
    assert api.get(reverse("api:students")).status_code == 401


# The account's roles: what the engine allows, whatever the scopes.
ACCOUNT_ROLES = {
    "no_role": (lambda c: {}, set()),
    "organiser_analyst": (
        lambda c: {"role": Role.ORGANISER_ANALYST, "organiser": c.organiser_a},
        {"api:report_levels", "api:report"},
    ),
    "teacher": (
        lambda c: {"role": Role.TEACHER, "group": c.course_group_a},
        {
            "api:students",
            "api:student",
            "api:progress",
            "api:course_groups",
            "api:progress_write",
            "api:attendance_write",
        },
    ),
    "counsellor": (
        lambda c: {"role": Role.COUNSELLOR, "school_unit": c.unit_a},
        {"api:students", "api:student", "api:plan", "api:progress", "api:handovers", "api:handover"},
    ),
}
ROLE_CASES = [(e, role) for e in ENDPOINTS for role in ACCOUNT_ROLES]


@pytest.mark.parametrize(("endpoint", "role"), ROLE_CASES, ids=[f"{e[0][4:]}-{r}" for e, r in ROLE_CASES])
def test_the_accounts_role_decides(endpoint, role, api, cast, issue):
    scope_of, allowed = ACCOUNT_ROLES[role]
    integration = services.integration_create(acting_user=cast.admin, name=f"System {role}", organiser=cast.organiser_a)
    if scope := scope_of(cast):
        assign(integration.account, **scope)
    token = issue(*SCOPES, to=integration)
    name, method, kwargs, body, _scopes = endpoint
    records, weeks = ProgressRecord.objects.count(), AttendanceWeek.objects.count()
    response = _call(api, name, method, kwargs, body, cast, token)
    if name in allowed:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code in (403, 404), response.content
        assert (ProgressRecord.objects.count(), AttendanceWeek.objects.count()) == (records, weeks)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e[1] == "post"], ids=lambda e: e[0])
def test_a_denied_write_changes_nothing(endpoint, api, cast, issue):
    name, method, kwargs, body, allowed = endpoint
    other = next(s for s in SCOPES if s not in allowed)
    records, weeks = ProgressRecord.objects.count(), AttendanceWeek.objects.count()
    response = _call(api, name, method, kwargs, body, cast, issue(other))
    assert response.status_code == 403
    assert (ProgressRecord.objects.count(), AttendanceWeek.objects.count()) == (records, weeks)


def test_other_schools_students_are_404_like_missing(api, cast, issue):
    token = issue(*SCOPES)
    for name in ("api:student", "api:plan", "api:progress"):
        other = api.get(reverse(name, kwargs={"id": cast.bertil.pk}), token)
        missing = api.get(reverse(name, kwargs={"id": 99_999_999}), token)
        assert other.status_code == missing.status_code == 404
        assert other.json() == missing.json()
