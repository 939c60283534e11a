"""The basic record: the parts every area builds on, declared by the engine itself.

The people, enrolments and audit areas sit below the engine and know nothing
of roles, so the parts they store and the pages that show them are declared
here, in the same words every other area uses.
"""

from django.utils.translation import gettext_lazy as _

from .declarations import FAMILY_ROLES, INDIVIDUAL_STAFF_ROLES, Action, AreaRules, RecordPart, roles
from .models import Role

RECORD = "record"  # name, identity number, programme: what a list shows
BACKGROUND = "background"  # languages, arrival, schooling; the intake mapping is part of it
ENROLMENTS = "enrolments"
GUARDIANS = "guardians"
AUDIT_LOG = "audit_log"  # who has read the record

_STAFF_WITH_WHOLE_RECORD = roles(Role.MENTOR, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL)

RULES = AreaRules(
    parts=(
        RecordPart(RECORD, _("Basic record"), roles(INDIVIDUAL_STAFF_ROLES, FAMILY_ROLES)),
        RecordPart(BACKGROUND, _("Background"), roles(INDIVIDUAL_STAFF_ROLES, FAMILY_ROLES)),
        RecordPart(ENROLMENTS, _("Enrolments"), roles(INDIVIDUAL_STAFF_ROLES, FAMILY_ROLES)),
        RecordPart(GUARDIANS, _("Guardians"), roles(_STAFF_WITH_WHOLE_RECORD, Role.STUDENT)),
        RecordPart(AUDIT_LOG, _("Read log"), roles(Role.STUDENT, Role.PRINCIPAL)),
    ),
    actions=(
        Action("student.list", INDIVIDUAL_STAFF_ROLES),
        Action("student.create", roles(Role.COUNSELLOR, Role.PRINCIPAL)),
        Action("student.guardian_consent", roles(Role.COUNSELLOR, Role.PRINCIPAL)),
        Action("audit.school_log", roles(Role.PRINCIPAL)),
        Action("family.view", FAMILY_ROLES),
        Action("family.own_reads", roles(Role.STUDENT)),
        Action("organisation.overview", roles(Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR)),
        Action("organisation.admin", roles(Role.ADMIN)),
        # Staff roles at own school units, and the record of every access change there.
        Action("access.manage", roles(Role.PRINCIPAL)),
        # Who is in the mentor groups, work teams and course groups at own school units:
        # membership decides which mentor or teacher sees a student, so the principal,
        # who answers for the unit, decides it.
        Action("access.groups", roles(Role.PRINCIPAL)),
    ),
)
