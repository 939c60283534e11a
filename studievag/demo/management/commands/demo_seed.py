from django.core.management.base import BaseCommand

from studievag.demo.services import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Load the demo data set (Skaraborg) into an empty database and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--students", type=int, default=420, help="About this many current students.")

    def handle(self, *args, seed, students, **options):
        summary = demo_seed(seed=seed, students=students)
        out = self.stdout
        out.write(
            f"Demo data: {summary.organisers} organisers, {summary.school_units} school units, "
            f"{summary.students} students ({summary.current_students} current), "
            f"{summary.guardians} guardians."
        )
        out.write("")
        out.write(f"Demo logins (password for every one: {DEMO_PASSWORD})")
        for username in summary.users:
            out.write(f"  {username}")
        out.write("")
        out.write("REST API (http://127.0.0.1:8000/api/v1/docs/), demo tokens:")
        for name, token in summary.api_tokens:
            out.write(f"  {name}: {token}")
