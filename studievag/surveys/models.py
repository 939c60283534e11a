"""A survey wave and its answers, stored so that no answer can be traced to a student.

Four tables, kept apart on purpose (see README.md, "Anonymous by design"):

* :class:`Wave` and :class:`WaveItem` – the questionnaire of one organiser
  for one term, with its thresholds; ordinary, audited records.
* :class:`Participation` – *that* a student has answered a wave: the only
  row with a student in it, used to stop a second answer and to count the
  response rate. No answer, no time.
* :class:`PendingResponse` – a submitted answer waiting in the wave's pool.
  Answers leave the pool for :class:`Response` in random batches of at least
  the wave's minimum, so neither the order of rows nor the transaction that
  wrote them follows the order in which students answered.
* :class:`Response` – one released answer: a random id, the wave, coarse
  group attributes copied at submission and the answers. No user, no
  student, no date or time, no history.
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import Student

from . import bank, rules


class Wave(models.Model):
    # Set by a service before it saves; django-simple-history writes them on the history row.
    _history_user: Any
    _change_reason: str
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="survey_waves"
    )
    term = models.CharField(_("term"), max_length=6, validators=[rules.validate_term])
    title = models.CharField(_("title"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    min_respondents = models.PositiveSmallIntegerField(
        _("minimum number of respondents"),
        default=rules.MIN_RESPONDENTS,
        validators=[MinValueValidator(rules.MIN_RESPONDENTS)],
        help_text=_("Results for a group with fewer respondents are not shown. It can be raised, never lowered."),
    )
    min_free_text = models.PositiveSmallIntegerField(
        _("minimum number of respondents for free-text answers"),
        default=rules.MIN_FREE_TEXT,
        validators=[MinValueValidator(rules.MIN_FREE_TEXT)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "term"], name="survey_wave_one_per_term"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="survey_wave_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(min_respondents__gte=rules.MIN_RESPONDENTS), name="survey_wave_min_respondents_floor"
            ),
            models.CheckConstraint(
                condition=Q(min_free_text__gte=F("min_respondents")) & Q(min_free_text__gte=rules.MIN_FREE_TEXT),
                name="survey_wave_free_text_floor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({rules.term_label(self.term)})"

    @property
    def term_label(self) -> str:
        return rules.term_label(self.term)

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def refs(self) -> list[str]:
        return [i.ref for i in self.items.all()]


class WaveItem(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=40)
    version = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["wave", "key"], name="survey_item_once_per_wave")]

    @property
    def ref(self) -> str:
        return f"{self.key}_v{self.version}"

    @property
    def item(self) -> bank.Item | None:
        return bank.BANK.get(self.ref)


class Participation(models.Model):
    """That a student has answered a wave – nothing else: no answer, no time."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="participations")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="survey_participations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "student"], name="survey_answer_once")]
        # The response rate looks students up by student first.
        indexes = [models.Index(fields=["student", "wave"], name="survey_participation_student")]


class Attributes(models.Model):
    """The coarse group attributes an answer carries, copied when it is submitted."""

    school_unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(max_length=8)
    gender = models.CharField(max_length=10)
    time_in_sweden = models.CharField(max_length=16)
    age_band = models.CharField(max_length=8)
    answers = models.JSONField(default=dict)

    class Meta:
        abstract = True


class PendingResponse(Attributes):
    """A submitted answer in the wave's pool, not yet released (see :mod:`.services`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="pending")


class Response(Attributes):
    """One released answer. Nothing in it points at a student, a user or a moment.

    Besides the answers themselves it holds, per theme, how many of the theme's
    questions were answered (any step but "Don't know") and how many favourably:
    what the quality reports add up, without reading every answer.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    engagement_answered = models.PositiveSmallIntegerField(default=0)
    engagement_favourable = models.PositiveSmallIntegerField(default=0)
    safety_answered = models.PositiveSmallIntegerField(default=0)
    safety_favourable = models.PositiveSmallIntegerField(default=0)
    influence_answered = models.PositiveSmallIntegerField(default=0)
    influence_favourable = models.PositiveSmallIntegerField(default=0)
    study_climate_answered = models.PositiveSmallIntegerField(default=0)
    study_climate_favourable = models.PositiveSmallIntegerField(default=0)
    support_answered = models.PositiveSmallIntegerField(default=0)
    support_favourable = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["wave", "school_unit"], name="survey_response_wave_unit")]

    def count_themes(self) -> None:
        """Fill the per-theme counts from the answers."""
        for theme in bank.Theme.ORDER:
            setattr(self, f"{theme}_answered", 0)
            setattr(self, f"{theme}_favourable", 0)
        for ref, value in self.answers.items():
            item = bank.BANK.get(ref)
            if item is None or item.kind != bank.Kind.SCALE or not isinstance(value, int) or value < 1:
                continue
            setattr(self, f"{item.theme}_answered", getattr(self, f"{item.theme}_answered") + 1)
            if value >= bank.FAVOURABLE_FROM:
                setattr(self, f"{item.theme}_favourable", getattr(self, f"{item.theme}_favourable") + 1)
