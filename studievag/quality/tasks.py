"""Background jobs of the quality area (run by the worker, see ``studievag/jobs``)."""

from django.utils.translation import gettext as _
from django_tasks import task

from studievag.jobs.schedule import Every
from studievag.jobs.services import job_run

from .facts import refresh_offered_periods

FACTS_REFRESH = "quality.facts_refresh"


@task()
def facts_refresh_task(full: bool = False) -> dict:
    """Keep the per-student facts of every period the report form offers fresh."""
    with job_run(FACTS_REFRESH, lock=True) as run:
        if not run.locked:
            run.skip(_("Another refresh of the facts was running."))
            return {"skipped": True}
        results = refresh_offered_periods(full=full, recorder=run)
        students = sum(r.students for r in results)
        run.summarise(
            _("%(periods)d periods, %(students)d student rows written.")
            % {"periods": len(results), "students": students}
        )
        return {"periods": len(results), "students": students}


# Every ten minutes: a change recorded by a teacher or mentor is in the
# group-level figures within fifteen minutes.
SCHEDULE = (Every(FACTS_REFRESH, facts_refresh_task, minutes=10),)
