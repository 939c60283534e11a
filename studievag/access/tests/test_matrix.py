"""Every page and endpoint × every role: allowed or denied, as the policy says.

The rows live next to each area in ``<area>/tests/routes.py``. A named URL
that has no row fails :func:`test_every_url_has_a_row`, so a new page cannot
be added without saying who may use it.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import studievag
from studievag.testing import ALL_ROLES, Route

# URLs that are not ours to police: Django's own admin and language switch,
# and the login and logout pages every visitor needs.
NOT_IN_MATRIX_NAMESPACES = {"admin"}
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


CASES = [(route, role) for route in ROUTES for role in sorted(ALL_ROLES)]


@pytest.mark.parametrize(("route", "role"), CASES, ids=[f"{r.id}-{role}" for r, role in CASES])
def test_access(route: Route, role: str, cast, client):
    client.force_login(cast.by_role()[role])
    url = route.url(cast)
    data = route.data(cast) if route.data else {}
    response = getattr(client, route.method)(url, data)
    if role in route.allowed:
        assert response.status_code in (200, 302), f"{role} should reach {route.id} ({url}), got {response.status_code}"
        if response.status_code == 302:
            assert "/login/" not in response["Location"], f"{role} was sent to log in"
    else:
        assert response.status_code in (403, 404), (
            f"{role} must be denied {route.id} ({url}), got {response.status_code}"
        )


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_anonymous_is_sent_to_log_in(route: Route, cast, client):
    response = getattr(client, route.method)(route.url(cast))
    if route.public:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
