"""Two demo integrations with known tokens, so the API can be tried at once (README, "REST API").

* **Skolplattformen (demo)**: the learning platform of the main school unit. Its service
  account is principal there, granted by the administrator and confirmed by the principal
  (four eyes, as for a person); its token has every scope.
* **Skövde kommuns statistik (demo)**: the municipality's statistics, an organiser analyst
  for Skövde: group-level figures only, token with ``reports:read``.

The tokens are fixed so the README can print them; a real token is random and shown once.
"""

import datetime

from studievag.access.models import Role
from studievag.access.services import role_assignment_confirm, role_assignment_grant

from . import services
from .models import Scope

PLATFORM_TOKEN = "svi_de00000001_demo-skolplattformen-000000000000"
STATISTICS_TOKEN = "svi_de00000002_demo-statistik-skovde-00000000000"


def seed(*, admin, principal, unit, organiser, today: datetime.date) -> list[tuple[str, str]]:
    """Create the demo integrations; returns (name, token) for the seed command to print."""
    expires = today + datetime.timedelta(days=365)
    platform = services.integration_create(
        acting_user=admin,
        name="Skolplattformen (demo)",
        organiser=organiser,
        description="Lärplattformen: elever, planer, progression och närvaro för skolenheten.",
    )
    waiting = role_assignment_grant(
        acting_user=admin,
        user=platform.account,
        role=Role.PRINCIPAL,
        school_unit=unit,
        valid_from=today - datetime.timedelta(days=30),
        reason="Lärplattformens integration för skolenheten",
    )
    role_assignment_confirm(acting_user=principal, assignment=waiting, reason="Godkänd av rektor")
    services.token_issue(
        acting_user=admin, integration=platform, scopes=Scope.values, expires_on=expires, token=PLATFORM_TOKEN
    )
    statistics = services.integration_create(
        acting_user=admin,
        name="Skövde kommuns statistik (demo)",
        organiser=organiser,
        description="Uppföljning på gruppnivå för nämnden, med skyddade små tal.",
    )
    role_assignment_grant(
        acting_user=admin,
        user=statistics.account,
        role=Role.ORGANISER_ANALYST,
        organiser=organiser,
        valid_from=today - datetime.timedelta(days=30),
        reason="Kommunens statistik på gruppnivå",
    )
    services.token_issue(
        acting_user=admin,
        integration=statistics,
        scopes=[Scope.REPORTS_READ],
        expires_on=expires,
        token=STATISTICS_TOKEN,
    )
    return [(platform.name, PLATFORM_TOKEN), (statistics.name, STATISTICS_TOKEN)]
