"""Scheduled jobs, declared by each area in its ``tasks.py`` as ``SCHEDULE``::

    from studievag.jobs.schedule import Every
    SCHEDULE = (Every("quality.facts_refresh", facts_refresh_task, minutes=10),)

``manage.py jobs_scheduler`` enqueues each when its interval has passed (the
worker, ``manage.py db_worker``, runs it). The scheduler is collected from the
installed apps, so this module names no area.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps


@dataclass(frozen=True)
class Every:
    name: str
    task: object  # a django_tasks Task
    minutes: int = 0
    hours: int = 0

    @property
    def every(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.minutes, hours=self.hours)


@cache
def schedules() -> tuple[Every, ...]:
    found: list[Every] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("studievag."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tasks":
                raise
            continue
        found.extend(getattr(module, "SCHEDULE", ()))
    return tuple(found)
