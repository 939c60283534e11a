"""After the programme: the exit, the follow-up interviews and the hand-over to the activity responsibility.

* :class:`Exit` – one per ended enrolment recorded here: the reason from the
  code list, the destination, the consent to be contacted, and how the plan's
  goals stood that day (a frozen copy, since the plan may change later).
* :class:`FollowUp` – the interviews due 6 and 12 months after the exit: a
  row with its due date, written when the exit is recorded; its state is
  computed from the dates (``rules.task_state``), so no scheduler is needed.
* :class:`ContactAttempt` – every try to reach the young person; a follow-up
  whose attempts all failed ends as "not reached" and is counted so.
* :class:`KaaReferral` – the hand-over to the home municipality's activity
  responsibility and its status (sent, received, in contact).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import Student

from . import rules


class Exit(models.Model):
    """How and where a student left an introduction programme."""

    Reason = Enrolment.ExitReason
    # The codes offered when an exit is recorded (the earlier ones stay readable).
    REASONS = [
        Reason.NATIONAL_PROGRAMME,
        Reason.OTHER_IM_PROGRAMME,
        Reason.ADULT_EDUCATION,
        Reason.WORK,
        Reason.APPRENTICESHIP,
        Reason.ANOTHER_SCHOOL,
        Reason.MOVED_ABROAD,
        Reason.UNKNOWN,
        Reason.OTHER,
    ]

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="exit_record"
    )
    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="exits")
    exit_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason for leaving"), max_length=30, choices=Reason.choices)
    national_programme = models.CharField(
        _("national programme"),
        max_length=2,
        blank=True,
        choices=sorted(rules.NATIONAL_PROGRAMMES.items(), key=lambda kv: kv[1]),
    )
    destination = models.CharField(
        _("destination"),
        max_length=200,
        blank=True,
        help_text=_("The school, employer or education the student goes to."),
    )
    receiving_unit = models.ForeignKey(
        SchoolUnit,
        verbose_name=_("receiving school unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("When the student goes on to a school unit known to Studieväg."),
    )
    home_municipality = models.ForeignKey(
        Organiser,
        verbose_name=_("home municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    consent_to_contact = models.BooleanField(_("consents to be contacted for follow-up"), default=False)
    contact_phone = models.CharField(_("phone for the follow-up"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail for the follow-up"), blank=True)
    goals_at_exit = models.JSONField(
        _("the plan's goals at the exit"),
        default=list,
        blank=True,
        help_text=_("A copy: title, kind, term and status of each goal on the last day."),
    )
    plan_result = models.CharField(
        _("outcome against the plan"),
        max_length=20,
        choices=[(r.value, label) for r, label in rules.PLAN_RESULT_LABELS.items()],
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-exit_date", "-pk"]
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        indexes = [models.Index(fields=["exit_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason="national_programme") | Q(national_programme=""),
                name="exit_programme_only_for_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.exit_date} {self.reason}"

    @property
    def plan_result_label(self) -> str:
        return str(rules.PLAN_RESULT_LABELS.get(self.plan_result, self.plan_result))

    @property
    def national_programme_name(self) -> str:
        return rules.NATIONAL_PROGRAMMES.get(self.national_programme, "")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    MEETING = "meeting", _("Meeting")
    VIA_KAA = "via_kaa", _("Through the activity responsibility")


class Occupation(models.TextChoices):
    STUDYING = "studying", _("Studying")
    WORKING = "working", _("Working")
    BOTH = "both", _("Studying and working")
    NEITHER = "neither", _("Neither studying nor working")
    NOT_REACHED = "not_reached", _("Not reached")


class FollowUp(models.Model):
    """One follow-up interview, due a number of months after the exit."""

    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the exit"))
    due_date = models.DateField(_("due"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Occupation.choices, blank=True)
    outcome_on = models.DateField(_("outcome as of"), null=True, blank=True)
    study_what = models.CharField(_("studies what"), max_length=200, blank=True)
    study_where = models.CharField(_("studies where"), max_length=200, blank=True)
    work_what = models.CharField(_("works as / where"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    # Set on the task list's rows for one day (see ``selectors.follow_up_tasks``).
    current_state: rules.TaskState
    current_state_label: str

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["exit", "months"], name="follow_up_once_per_point"),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(outcome_on__isnull=True)) | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="follow_up_outcome_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exit_id} +{self.months}m"

    def state(self, today) -> rules.TaskState:
        return rules.task_state(
            due=self.due_date, today=today, has_outcome=bool(self.outcome), consent=self.exit.consent_to_contact
        )

    def state_label(self, today) -> str:
        return str(rules.TASK_STATE_LABELS[self.state(today)])

    @property
    def opens_on(self):
        return rules.opens_on(self.due_date)

    @property
    def closes_on(self):
        return rules.closes_on(self.due_date)

    def is_stale(self, today) -> bool:
        return bool(self.outcome_on) and rules.is_stale(self.outcome_on, today)


class ContactAttempt(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="attempts")
    attempted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    reached = models.BooleanField(_("reached"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["attempted_on", "pk"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.attempted_on} {self.channel}"


class KaaStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    IN_CONTACT = "in_contact", _("In contact")


KAA_ORDER = [KaaStatus.SENT, KaaStatus.RECEIVED, KaaStatus.IN_CONTACT]


class KaaReferral(models.Model):
    """The hand-over of a leaver to the home municipality's activity responsibility."""

    exit = models.OneToOneField(Exit, on_delete=models.CASCADE, related_name="kaa_referral")
    municipality = models.ForeignKey(
        Organiser, verbose_name=_("home municipality"), on_delete=models.PROTECT, related_name="kaa_referrals"
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Under 20 and no destination; otherwise sent by choice.")
    )
    status = models.CharField(_("status"), max_length=20, choices=KaaStatus.choices, default=KaaStatus.SENT)
    sent_on = models.DateField(_("sent"))
    received_on = models.DateField(_("received"), null=True, blank=True)
    contact_on = models.DateField(_("in contact since"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status set by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("hand-over to the activity responsibility")
        verbose_name_plural = _("hand-overs to the activity responsibility")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent")
                | (Q(status="received") & Q(received_on__isnull=False))
                | (Q(status="in_contact") & Q(received_on__isnull=False) & Q(contact_on__isnull=False)),
                name="kaa_status_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exit_id} → {self.municipality_id} {self.status}"
