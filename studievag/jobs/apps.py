from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class JobsConfig(AppConfig):
    default = True
    name = "studievag.jobs"
    verbose_name = _("Background jobs")


class TaskQueueConfig(TasksAppConfig):
    """django-tasks' database queue, named in the user's language on the admin's index."""

    default = False
    verbose_name = _("Background job queue")
