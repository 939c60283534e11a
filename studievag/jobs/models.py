"""A record of every background job run, its per-item messages, locks and schedule state.

The job runner itself is Django's tasks framework (the ``django-tasks``
backport with its database backend, ``django_tasks_db``): a task is enqueued
as a row and a worker process (``manage.py db_worker``) runs it. These models
add what the runner does not keep in a form staff can read: what a run did
(counts, per-item messages), which job holds a lock, and when a scheduled job
was last enqueued.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    name = models.CharField(_("job"), max_length=100, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    items_total = models.PositiveIntegerField(_("items"), default=0)
    items_done = models.PositiveIntegerField(_("items done"), default=0)
    items_failed = models.PositiveIntegerField(_("items failed"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobs_run_name_started")]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class JobRunEvent(models.Model):
    """One message of a run: an item done or failed, a step, a warning."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        ERROR = "error", _("Error")

    run = models.ForeignKey(JobRun, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.INFO)
    item = models.CharField(_("item"), max_length=100, blank=True)
    message = models.TextField(_("message"))
    count = models.IntegerField(_("count"), null=True, blank=True)
    milliseconds = models.PositiveIntegerField(_("milliseconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("job run event")
        verbose_name_plural = _("job run events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.item or self.message[:60]


class JobLock(models.Model):
    """Who runs a job that must run once at a time (on databases without advisory locks)."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=100)
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("job lock")
        verbose_name_plural = _("job locks")


class ScheduleState(models.Model):
    """When the scheduler last enqueued a scheduled job."""

    name = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("schedule state")
        verbose_name_plural = _("schedule states")
