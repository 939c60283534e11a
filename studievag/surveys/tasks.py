"""Background jobs of the survey (run by the worker, see ``studievag/jobs``)."""

from django.utils.translation import gettext as _
from django_tasks import task

from studievag.jobs.schedule import Every
from studievag.jobs.services import job_run

from .services import waves_release_closed

RELEASE = "surveys.release_closed"


@task()
def release_closed_task() -> dict:
    """Release the pools of waves that have closed, so their last answers reach the results."""
    with job_run(RELEASE, lock=True) as run:
        if not run.locked:
            run.skip(_("Another release of survey answers was running."))
            return {"skipped": True}
        released = waves_release_closed()
        run.summarise(_("%(n)d answers released from closed waves.") % {"n": released})
        return {"released": released}


# Every hour: a wave's last answers reach its results within an hour of closing
# (a results page releases them at once if it is opened first).
SCHEDULE = (Every(RELEASE, release_closed_task, hours=1),)
