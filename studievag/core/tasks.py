"""Background jobs of the core area: keeping the SAML metadata cache fresh."""

from django.conf import settings
from django_tasks import task

from studievag.jobs.schedule import Every
from studievag.jobs.services import job_run

from .saml import refresh_metadata

SAML_METADATA_REFRESH = "saml.metadata_refresh"


@task()
def saml_metadata_refresh_task() -> dict:
    """Fetch every SAML metadata source; a failed one keeps its last good copy."""
    with job_run(SAML_METADATA_REFRESH, lock=True) as run:
        if not run.locked:
            run.skip("Another run was busy.")
            return {"skipped": True}
        results = refresh_metadata()
        run.total(len(results))
        for result in results:
            run.item(result.url, f"{result.entities} entities" if result.ok else result.message, failed=not result.ok)
        return {"refreshed": sum(r.ok for r in results), "failed": sum(not r.ok for r in results)}


SCHEDULE = (
    (Every(SAML_METADATA_REFRESH, saml_metadata_refresh_task, minutes=settings.SAML_METADATA_REFRESH_MINUTES),)
    if settings.SAML_ENABLED and settings.SAML_METADATA_URLS
    else ()
)
