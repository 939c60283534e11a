"""``manage.py quality_refresh``: bring the per-student facts of every offered period up to date now.

The background job ``quality.facts_refresh`` does the same every ten minutes;
this command runs it in the foreground (``--full`` recomputes every student).
"""

from django.core.management.base import BaseCommand

from studievag.quality.tasks import facts_refresh_task


class Command(BaseCommand):
    help = "Recompute the per-student facts behind the group-level reports for every offered period."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Recompute every student, not only changes.")

    def handle(self, *args, full, **options):
        outcome = facts_refresh_task.call(full=full)
        self.stdout.write(str(outcome))
