"""The API's rules: who manages integrations, and what each endpoint asks of a caller.

An API call is allowed when both hold:

* the **token** carries the endpoint's scope (``Scope``), and
* the **integration's service account** may use the same action as the pages
  that show the same data (``ENDPOINTS``), asked of the one engine,
  :func:`studievag.access.policy.may`.

Which students, parts and groups the call then sees is decided by the engine
from the account's roles, exactly as for a person with those roles; a student
outside them is a 404, like a missing one. There is no second permission
system: a scope only narrows what the account's roles allow.
"""

from django.utils.translation import gettext_lazy as _

from studievag.access.declarations import Action, AreaRules, roles
from studievag.access.models import Role

from .models import Scope

RULES = AreaRules(
    actions=(
        # Integrations, their tokens and the record of changes to them.
        Action("api.manage", roles(Role.ADMIN)),
    ),
)

# endpoint → (the token's scopes, any one of which will do; the engine's action the
# account must be allowed, the same as the pages that show the same data)
ENDPOINTS: dict[str, tuple[tuple[str, ...], str]] = {
    "students": ((Scope.STUDENTS_READ,), "student.list"),
    "student": ((Scope.STUDENTS_READ,), "student.list"),
    "plan": ((Scope.PLANS_READ,), "plan.view"),
    "progress": ((Scope.PROGRESS_READ,), "progress.view"),
    "course_groups": ((Scope.PROGRESS_WRITE, Scope.ATTENDANCE_WRITE), "progress.record"),
    "progress_write": ((Scope.PROGRESS_WRITE,), "progress.record"),
    "attendance_write": ((Scope.ATTENDANCE_WRITE,), "progress.record"),
    "handovers": ((Scope.HANDOVERS_READ,), "handover.receive"),
    "report_levels": ((Scope.REPORTS_READ,), "quality.report"),
    "report": ((Scope.REPORTS_READ,), "quality.report"),
}

NO_TOKEN = _("Send the integration's token: Authorization: Bearer <token>.")
BAD_TOKEN = _("The token is unknown, revoked or expired.")
