"""Fetch the SAML metadata sources into the local cache now (the job does it every hour)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from studievag.core.saml import refresh_metadata


class Command(BaseCommand):
    help = "Fetch the configured SAML metadata (federation aggregate, identity providers) into the local cache."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="Exit with an error when a source fails.")

    def handle(self, *args, strict=False, **options):
        if not settings.SAML_ENABLED:
            self.stdout.write("SAML sign-on is off (STUDIEVAG_SAML_BASE_URL is not set).")
            return
        results = refresh_metadata()
        for result in results:
            state = f"{result.entities} entities" if result.ok else f"FAILED, last good copy kept ({result.message})"
            self.stdout.write(f"{result.url}: {state}")
        if strict and any(not result.ok for result in results):
            raise CommandError("Some metadata sources could not be refreshed.")
