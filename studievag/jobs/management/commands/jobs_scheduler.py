"""``manage.py jobs_scheduler``: enqueue the scheduled jobs when their time has come.

Runs until stopped (Ctrl-C, SIGTERM), checking every ``--interval`` seconds;
``--once`` checks once and exits (for cron or a systemd timer). Several
schedulers may run: the schedule state is locked row by row, and a job is
not enqueued again while a run of it is still waiting.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from studievag.jobs.services import schedule_tick


class Command(BaseCommand):
    help = "Enqueue the scheduled background jobs when their interval has passed."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks.")

    def handle(self, *args, once, interval, **options):
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            for name in schedule_tick():
                self.stdout.write(f"{time.strftime('%H:%M:%S')} enqueued {name}")
            close_old_connections()
            if once:
                break
            slept = 0.0
            while running and slept < interval:
                time.sleep(0.5)
                slept += 0.5
