from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from studievag.catalogue.services import CatalogueImportError, catalogue_import


class Command(BaseCommand):
    help = (
        "Import subjects and courses from a CSV file in the columns of Skolverket's flattened 2018 list "
        "(all or nothing). The shipped catalogue is loaded by the migrations; see also import_syllabus."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

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
