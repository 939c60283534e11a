"""The administrator's integration pages in the site-wide access matrix (the API itself
answers tokens, not sessions: its matrix is ``test_access_matrix.py``)."""

import datetime

from django.utils import timezone

from studievag.api import services
from studievag.testing import Route

ADMIN = frozenset({"admin"})


def _integration(c):
    return services.integration_create(acting_user=c.admin, name="Lärplattform", organiser=c.organiser_a)


def _token(c):
    row, _raw = services.token_issue(
        acting_user=c.admin,
        integration=_integration(c),
        scopes=["students:read"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {"pk": row.pk}


ROUTES = [
    Route("integrations:list", ADMIN),
    Route(
        "integrations:list",
        ADMIN,
        method="post",
        data=lambda c: {"name": "Statistik", "organiser": c.organiser_a.pk, "description": "SCB-underlag"},
    ),
    Route("integrations:token_issue", ADMIN, kwargs=lambda c: {"pk": _integration(c).pk}),
    Route(
        "integrations:token_issue",
        ADMIN,
        kwargs=lambda c: {"pk": _integration(c).pk},
        method="post",
        data=lambda c: {
            "scopes": ["students:read", "progress:write"],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        },
    ),
    Route("integrations:token_revoke", ADMIN, kwargs=_token, method="post", data=lambda c: {"reason": "Bytt system"}),
]
