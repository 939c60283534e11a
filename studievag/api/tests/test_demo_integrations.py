"""The demo's integrations work as the README says: the platform's token reads the school's
students (its principal role was confirmed by the principal); the statistics token reads
reports only."""

from django.urls import reverse

from studievag.access.models import RoleAssignment
from studievag.api import demo


def test_the_demo_tokens(api, cast, today):
    demo.seed(admin=cast.admin, principal=cast.principal_a, unit=cast.unit_a, organiser=cast.organiser_a, today=today)
    platform = RoleAssignment.objects.get(user__integration__name="Skolplattformen (demo)")
    assert (platform.pending, platform.granted_by, platform.confirmed_by) == (False, cast.admin, cast.principal_a)
    students = api.get(reverse("api:students"), demo.PLATFORM_TOKEN).json()
    assert students["count"] == 3
    assert api.get(reverse("api:report_levels"), demo.STATISTICS_TOKEN).status_code == 200
    assert api.get(reverse("api:students"), demo.STATISTICS_TOKEN).status_code == 403
