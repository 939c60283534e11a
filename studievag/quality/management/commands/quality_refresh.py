"""``manage.py quality_refresh``: recompute the per-student facts of recent periods (nightly)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from studievag.quality.facts import facts_refresh
from studievag.quality.periods import recent_terms, school_year_of


class Command(BaseCommand):
    help = "Recompute the per-student facts behind the group-level reports for recent periods."

    def add_arguments(self, parser):
        parser.add_argument("--terms", type=int, default=6, help="How many recent terms.")

    def handle(self, *args, terms, **options):
        today = timezone.localdate()
        year = school_year_of(today)
        for period in [*recent_terms(today, terms), year.previous_term(), year]:
            status = facts_refresh(period, today=today)
            self.stdout.write(f"{period.code}: {status.students} students in {status.milliseconds} ms")
