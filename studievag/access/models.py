"""Staff roles, each scoped and dated.

Students and guardians get their access from the records themselves
(``Student.user``, ``GuardianLink``), never from an assignment here, so the
legal relationship is the one source of truth for them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studievag.enrolments.models import StudentGroup
from studievag.organisations.models import Organiser, Region, SchoolUnit
from studievag.people.models import Student


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    GUARDIAN = "guardian", _("Guardian")
    MENTOR = "mentor", _("Mentor")
    TEACHER = "teacher", _("Teacher")
    COUNSELLOR = "counsellor", _("Study and careers counsellor")
    STUDENT_HEALTH = "student_health", _("Student health team")
    PRINCIPAL = "principal", _("Principal")
    ORGANISER_ANALYST = "organiser_analyst", _("Organiser analyst")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    SENDING_SCHOOL = "sending_school", _("Sending school")
    KAA_CONTACT = "kaa_contact", _("Activity responsibility contact")
    ADMIN = "admin", _("System administrator")


STAFF_ROLES = [r for r in Role if r not in (Role.STUDENT, Role.GUARDIAN)]

# Which scope each staff role takes. The first listed is the usual one.
SCOPES_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.MENTOR: ("group", "student"),
    Role.TEACHER: ("group",),
    Role.COUNSELLOR: ("school_unit",),
    Role.STUDENT_HEALTH: ("school_unit",),
    Role.PRINCIPAL: ("school_unit",),
    Role.ORGANISER_ANALYST: ("organiser",),
    Role.REGIONAL_COORDINATOR: ("region",),
    Role.SENDING_SCHOOL: ("school_unit",),
    # The home municipality's contact for the activity responsibility (kommunernas aktivitetsansvar).
    Role.KAA_CONTACT: ("organiser",),
    Role.ADMIN: ("organiser", "region"),
}
SCOPE_FIELDS = ("region", "organiser", "school_unit", "group", "student")


class RoleAssignmentQuerySet(models.QuerySet):
    def active_on(self, day) -> "RoleAssignmentQuerySet":
        """In force on ``day``: confirmed, begun and not ended. A role awaiting
        confirmation gives nothing (see ``access/services.py``)."""
        return self.filter(pending=False, valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=[(r.value, r.label) for r in STAFF_ROLES])
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, null=True, blank=True)
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, null=True, blank=True
    )
    school_unit = models.ForeignKey(
        SchoolUnit, verbose_name=_("school unit"), on_delete=models.CASCADE, null=True, blank=True
    )
    group = models.ForeignKey(StudentGroup, verbose_name=_("group"), on_delete=models.CASCADE, null=True, blank=True)
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_assignments",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # A role that reaches individual records, granted by someone other than the
    # unit's principal, waits for the principal (or a second administrator).
    pending = models.BooleanField(_("awaiting confirmation"), default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("why"), max_length=500, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_assignment_dates_ordered",
            ),
            # Exactly one scope.
            models.CheckConstraint(
                condition=(
                    Q(
                        region__isnull=False,
                        organiser__isnull=True,
                        school_unit__isnull=True,
                        group__isnull=True,
                        student__isnull=True,
                    )
                    | Q(
                        region__isnull=True,
                        organiser__isnull=False,
                        school_unit__isnull=True,
                        group__isnull=True,
                        student__isnull=True,
                    )
                    | Q(
                        region__isnull=True,
                        organiser__isnull=True,
                        school_unit__isnull=False,
                        group__isnull=True,
                        student__isnull=True,
                    )
                    | Q(
                        region__isnull=True,
                        organiser__isnull=True,
                        school_unit__isnull=True,
                        group__isnull=False,
                        student__isnull=True,
                    )
                    | Q(
                        region__isnull=True,
                        organiser__isnull=True,
                        school_unit__isnull=True,
                        group__isnull=True,
                        student__isnull=False,
                    )
                ),
                name="role_assignment_exactly_one_scope",
            ),
        ]

    def __str__(self) -> str:
        # A mentee is named by number only: this text reaches the admin's lists and log.
        scope = f"#{self.student_id}" if self.student_id else self.scope
        return f"{self.user} – {self.get_role_display()} – {scope}"

    @property
    def scope_kind(self) -> str | None:
        return next((f for f in SCOPE_FIELDS if getattr(self, f"{f}_id") is not None), None)

    @property
    def scope(self):
        kind = self.scope_kind
        return getattr(self, kind) if kind else None

    def clean(self) -> None:
        kind = self.scope_kind
        allowed = SCOPES_BY_ROLE.get(self.role, ())
        if kind is None or kind not in allowed:
            names = ", ".join(str(getattr(RoleAssignment._meta.get_field(f), "verbose_name", f)) for f in allowed)
            raise ValidationError(
                _("A %(role)s is scoped to exactly one of: %(scopes)s."),
                params={"role": self.get_role_display(), "scopes": names},
            )
