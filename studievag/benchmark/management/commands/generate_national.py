import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from studievag.benchmark.national import generate


class Command(BaseCommand):
    help = (
        "Generate a synthetic, country-sized data set (≈290 organisers, ≈1,000 school units, "
        "five years of history) into an empty database. Reproducible from --seed and --today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--students", type=int, default=60000, help="Current students (the total over five years is about 3×)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data set ends (default: today), YYYY-MM-DD.",
        )

    def handle(self, *args, students, seed, today, **options):
        if students < 50:
            raise CommandError("--students must be at least 50.")
        try:
            summary = generate(
                students=students,
                seed=seed,
                today=today,
                log=lambda s: self.stdout.write(f"{time.strftime('%H:%M:%S')} {s}"),
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{summary.students} students ({summary.current_students} current), "
            f"{summary.organisers} organisers, {summary.school_units} school units "
            f"in {summary.seconds:.0f} s"
        )
        for table, n in sorted(summary.rows.items()):
            self.stdout.write(f"  {table}: {n} rows")
