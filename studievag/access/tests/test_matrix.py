"""Every page and endpoint × every role: allowed or denied, as the policy says.

The rows live next to each area in ``<area>/tests/routes.py``. A named URL
that has no row fails :func:`test_every_url_has_a_row`, so a new page cannot
be added without saying who may use it.
"""

import importlib
import inspect
import pkgutil

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

import studievag
from studievag.testing import ALL_ROLES, Route


@pytest.fixture
def cast(shared_cast):
    # Thousands of cases only call pages: one cast per module, a copy per test.
    return shared_cast


# URLs that are not ours to police: Django's own admin and language switch,
# and the login and logout pages every visitor needs (SAML sign-on's among them:
# studievag/core/tests/test_saml.py tests them). The REST API answers a
# token, never a session: its own matrix (every endpoint × every scope, and
# the roles of the integration's account) is studievag/api/tests/test_access_matrix.py.
NOT_IN_MATRIX_NAMESPACES = {"admin", "api", "saml"}
NOT_IN_MATRIX = {"set_language", "login", "logout"}


def _all_routes() -> list[Route]:
    routes: list[Route] = []
    for area in pkgutil.iter_modules(studievag.__path__):
        try:
            module = importlib.import_module(f"studievag.{area.name}.tests.routes")
        except ModuleNotFoundError as error:
            if error.name in (f"studievag.{area.name}.tests", f"studievag.{area.name}.tests.routes"):
                continue
            raise
        routes.extend(module.ROUTES)
    return routes


ROUTES = _all_routes()


def _named_urls(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in NOT_IN_MATRIX_NAMESPACES:
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _named_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_url_has_a_row():
    covered = {r.name for r in ROUTES}
    missing = _named_urls() - covered - NOT_IN_MATRIX
    assert not missing, f"Add these URLs to an area's tests/routes.py: {sorted(missing)}"


def test_rows_name_known_roles():
    for route in ROUTES:
        assert route.allowed <= ALL_ROLES, route.id


def _check_status(route: Route, role: str, url: str, response) -> None:
    """Allowed: the page or a redirect that is not to the login page. Denied: 403 or 404."""
    if role in route.allowed:
        assert response.status_code in (200, 302), f"{role} should reach {route.id} ({url}), got {response.status_code}"
        if response.status_code == 302:
            assert "/login/" not in response["Location"], f"{role} was sent to log in"
    else:
        assert response.status_code in (403, 404), (
            f"{role} must be denied {route.id} ({url}), got {response.status_code}"
        )


# The POST rows are played once, by the write test below, which checks the same
# answer and also what the call did to the database.
CASES = [(route, role) for route in ROUTES if route.method != "post" for role in sorted(ALL_ROLES)]


@pytest.mark.parametrize(("route", "role"), CASES, ids=[f"{r.id}-{role}" for r, role in CASES])
def test_access(route: Route, role: str, cast, client):
    client.force_login(cast.by_role()[role])
    url = route.url(cast)
    data = route.data(cast) if route.data else {}
    response = getattr(client, route.method)(url, data)
    _check_status(route, role, url, response)


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_anonymous_is_sent_to_log_in(route: Route, cast, client):
    response = getattr(client, route.method)(route.url(cast))
    if route.public:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


# --- Every method, and what a write does -------------------------------------------


def _declared_methods(callback) -> set[str] | None:
    """The methods a view's ``require_POST`` / ``require_http_methods`` allows, if it has one."""
    function = callback
    while function is not None:
        code, closure = getattr(function, "__code__", None), getattr(function, "__closure__", None)
        if code is not None and closure:
            for name, cell in zip(code.co_freevars, closure, strict=True):
                if name == "request_method_list":
                    return {m.lower() for m in cell.cell_contents}
        function = getattr(function, "__wrapped__", None)
    return None


def _methods(callback) -> set[str]:
    """GET, POST or both: declared, or read from whether the view looks at what was posted."""
    if (declared := _declared_methods(callback)) is not None:
        return declared & {"get", "post"}
    view = inspect.unwrap(callback)
    view = getattr(callback, "view_class", None) or view
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return {"get"}
    posts = any(m in source for m in ('request.method == "POST"', "request.POST", "request.FILES", "def post("))
    return {"get", "post"} if posts else {"get"}


def _url_methods(resolver=None, prefix="") -> set[tuple[str, str]]:
    pairs = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in NOT_IN_MATRIX_NAMESPACES:
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            pairs |= _url_methods(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and prefix + entry.name not in NOT_IN_MATRIX:
            pairs |= {(prefix + entry.name, method) for method in _methods(entry.callback)}
    return pairs


def test_every_url_and_method_has_a_row():
    covered = {(r.name, r.method) for r in ROUTES}
    missing = _url_methods() - covered
    assert not missing, f"Add rows for these (URL, method) pairs to an area's tests/routes.py: {sorted(missing)}"


def _rows_written() -> int:
    """How many rows this connection has inserted, updated or deleted so far: the
    database's own counter (SQLite's ``total_changes()``; PostgreSQL's statistics of
    the current transaction, which count a rolled-back savepoint's rows too). It
    only ever grows, so an unchanged counter proves nothing was written."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
        else:
            cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0])


def _fingerprint() -> dict[str, list]:
    """Every row of every table but the sessions (logging in writes one)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.label in ("sessions.Session",) or not model._meta.managed:
            continue
        rows[model._meta.label] = sorted(map(repr, model._default_manager.values_list()))
    return rows


WRITES = [route for route in ROUTES if route.method == "post"]
WRITE_CASES = [(route, role) for route in WRITES for role in sorted(ALL_ROLES)]


@pytest.mark.parametrize(("route", "role"), WRITE_CASES, ids=[f"{r.id}-{role}" for r, role in WRITE_CASES])
def test_a_write_changes_the_database_only_when_allowed(route: Route, role: str, cast, client):
    client.force_login(cast.by_role()[role])
    url = route.url(cast)
    data = route.data(cast) if route.data else {}
    changed = _tables_changed_by(lambda: client.post(url, data))
    response = changed.response
    _check_status(route, role, url, response)
    if role in route.allowed:
        if role in route.no_write_for:
            assert not changed, f"{role}: {route.id} with another unit's data changed {changed}"
        elif route.writes:
            assert changed, f"{role}: the allowed write {route.id} saved nothing (check the row's data is valid)"
    else:
        assert not changed, f"{role} was denied {route.id} but these tables changed: {changed}"


class _Changed(list):
    response = None


def _tables_changed_by(call) -> _Changed:
    """The tables (sessions aside) whose rows differ after ``call()``. When the
    database's change counter did not move, nothing differs; otherwise the rows
    after are compared with the rows before, read again after rolling back to a
    savepoint taken before the call."""
    counter = _rows_written()
    savepoint = transaction.savepoint()
    changed = _Changed()
    changed.response = call()
    if _rows_written() != counter:
        after = _fingerprint()
        transaction.savepoint_rollback(savepoint)
        before = _fingerprint()
        changed.extend(sorted(k for k in after if after[k] != before.get(k)))
    else:
        transaction.savepoint_commit(savepoint)
    return changed
