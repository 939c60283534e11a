from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from studievag.access.models import Role, RoleAssignment
from studievag.enrolments.models import StudentGroup
from studievag.interop.demo import seed
from studievag.organisations.models import Organiser, SchoolUnit


class Command(BaseCommand):
    help = (
        "Start a simulated municipal student register (SS 12000) on 127.0.0.1 holding what the demo has "
        "of one organiser, let a term's changes happen in it, and sync them in: a full sync, a dry run "
        "and a delta sync, each a run you can open at /interop/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organiser", default="Skövde kommun", help="The organiser's name in the demo.")

    def handle(self, *args, organiser, **options):
        found = Organiser.objects.filter(name=organiser).first()
        if found is None:
            raise CommandError(f"No organiser called {organiser!r}; load the demo first (make demo).")
        unit = (
            SchoolUnit.objects.filter(organiser=found, school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
            .annotate(n=Count("enrolments"))
            .order_by("-n")
            .first()
        )
        mentor_group = (
            StudentGroup.objects.filter(
                school_unit=unit, kind=StudentGroup.Kind.MENTOR_GROUP, roleassignment__user__username="mentor"
            ).first()
            or StudentGroup.objects.filter(school_unit=unit, kind=StudentGroup.Kind.MENTOR_GROUP).first()
        )
        counsellor = (
            RoleAssignment.objects.filter(role=Role.COUNSELLOR, school_unit=unit).select_related("user").first()
        )
        if counsellor is None:
            raise CommandError("The school unit has no counsellor to make the local correction.")
        result = seed(
            organiser=found,
            unit=unit,
            mentor_group=mentor_group,
            counsellor=counsellor.user,
            today=timezone.localdate(),
        )
        for label, run in (("Full sync", result.first), ("Dry run", result.dry), ("Delta sync", result.delta)):
            self.stdout.write(f"{label}: {run.get_status_display()} – /interop/runs/{run.pk}/")
            for entity, counts in sorted(run.counts.items()):
                self.stdout.write(f"  {entity}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        self.stdout.write("Log in as admin to see the runs, as principal to decide the conflict (/interop/conflicts/).")
