from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from studievag.catalogue.services import DEFAULT_CSV, CatalogueImportError, catalogue_import


class Command(BaseCommand):
    help = "Import Skolverket's subjects and courses from a CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_CSV)

    def handle(self, *args, path, **options):
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            result = catalogue_import(path)
        except CatalogueImportError as error:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(error.errors)) from None
        self.stdout.write(
            f"Catalogue: {result.subjects_created} subjects and {result.courses_created} courses "
            f"added, {result.unchanged} already there."
        )
