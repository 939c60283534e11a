"""The words an area uses to declare its access rules.

Every area that owns parts of a student's record, page-level actions or
objects with their own abilities declares them in ``<area>/permissions.py``
as one :class:`AreaRules` called ``RULES``. The engine
(:mod:`studievag.access.registry`) collects them from every installed app;
it never names an area. See ``access/README.md``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

from .models import Role

# Staff who work with individual students at a school unit or in a group.
INDIVIDUAL_STAFF_ROLES = frozenset({Role.MENTOR, Role.TEACHER, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL})
FAMILY_ROLES = frozenset({Role.STUDENT, Role.GUARDIAN})
EVERY_ROLE = frozenset(r.value for r in Role)


def roles(*names: str | Iterable[str]) -> frozenset[str]:
    """A frozen set of role values from roles and sets of roles: ``roles(Role.MENTOR, FAMILY_ROLES)``."""
    out: set[str] = set()
    for name in names:
        if isinstance(name, str):
            out.add(str(name))
        else:
            out |= {str(n) for n in name}
    return frozenset(out)


@dataclass(frozen=True)
class RecordPart:
    """A part of a student's record, granted and logged on its own.

    ``roles``: the roles through which a user who reaches a student may see
    this part of that student's record (the scope of the role still decides
    which students it reaches).
    """

    key: str
    label: str | Promise
    roles: frozenset[str]
    sensitive: bool = False  # special category data (GDPR art. 9): need-to-know, every read logged


@dataclass(frozen=True)
class Action:
    """A page or endpoint and the roles that may use it; scope still applies to what it shows."""

    key: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Abilities:
    """What each role may do to one kind of object belonging to a student it reaches.

    The roles count only where they reach the student with sight of ``part``.
    """

    kind: str
    part: str
    by_role: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class AreaRules:
    parts: tuple[RecordPart, ...] = ()
    actions: tuple[Action, ...] = ()
    abilities: tuple[Abilities, ...] = field(default=())
