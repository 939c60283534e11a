"""Background jobs of the quality area (run by the worker, see ``studievag/jobs``)."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from studievag.jobs.schedule import Every
from studievag.jobs.services import job_run

from . import exports
from .facts import drop_leftover_stages, refresh_offered_periods
from .forms import ReportForm
from .models import ReportPdf
from .reports import build

logger = logging.getLogger(__name__)

FACTS_REFRESH = "quality.facts_refresh"
REPORT_PDF = "quality.report_pdf"
# A produced PDF is kept this long for its asker, then removed.
PDF_KEPT = datetime.timedelta(days=1)


@task()
def facts_refresh_task(full: bool = False) -> dict:
    """Keep the per-student facts of every period the report form offers fresh."""
    with job_run(FACTS_REFRESH, lock=True) as run:
        if not run.locked:
            run.skip(_("Another refresh of the facts was running."))
            return {"skipped": True}
        for name in drop_leftover_stages():
            logger.warning("Dropped %s, a staging table left by an unfinished refresh of the facts.", name)
        results = refresh_offered_periods(full=full, recorder=run)
        students = sum(r.students for r in results)
        run.summarise(
            _("%(periods)d periods, %(students)d student rows written.")
            % {"periods": len(results), "students": students}
        )
        return {"periods": len(results), "students": students}


@task()
def report_pdf_task(pdf_id: str) -> str:
    """Render a report PDF for the person who asked for it, with their access at this moment."""
    with job_run(REPORT_PDF) as run:
        pdf = ReportPdf.objects.select_related("requested_by").get(pk=pdf_id)
        ReportPdf.objects.filter(requested_at__lt=timezone.now() - PDF_KEPT).delete()
        user = get_user_model().objects.get(pk=pdf.requested_by_id)
        with translation.override(pdf.language):
            form = ReportForm(QueryDict(pdf.query), user=user)
            if not user.is_active or not form.levels or not form.is_valid():
                pdf.status = ReportPdf.Status.FAILED
                run.item(str(pdf.pk), "not a valid report for this user", failed=True)
            else:
                content, filename = exports.pdf_bytes(build(user, form.cleaned_data))
                pdf.content, pdf.filename, pdf.status = content, filename, ReportPdf.Status.READY
                run.item(str(pdf.pk), "rendered", count=len(content))
        pdf.finished_at = timezone.now()
        pdf.save()
        return pdf.status


# Every ten minutes: a change recorded by a teacher or mentor is in the
# group-level figures within fifteen minutes.
SCHEDULE = (Every(FACTS_REFRESH, facts_refresh_task, minutes=10),)
