"""Who works with the student register link.

The system administrator sets up an organiser's link and runs syncs: the
run pages show counts, the register's ids and reasons, never a student's
name. A conflict between the register and a value someone entered here is
about one student, so it is decided by the principal of that student's
school unit, who sees the whole record anyway.
"""

from studievag.access.declarations import Action, AreaRules, roles
from studievag.access.models import Role

RULES = AreaRules(
    actions=(
        Action("interop.sync", roles(Role.ADMIN)),
        Action("interop.conflicts", roles(Role.PRINCIPAL)),
    ),
)
