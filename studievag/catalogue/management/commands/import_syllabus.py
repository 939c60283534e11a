from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from studievag.catalogue.services import SyllabusImportError, syllabus_import


class Command(BaseCommand):
    help = (
        "Import subjects with their courses or levels from a file in Skolverket's syllabus API format "
        "(the JSON of GET /syllabus/v1/subjects?schooltype=GY&typeOfSyllabus=GRADE_SUBJECT_SYLLABUS, "
        "gzipped or not). All or nothing; known subjects and courses get the file's names and points."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = syllabus_import(path)
        except SyllabusImportError as error:
            raise CommandError(
                f"Nothing was imported from {path.name} ({len(error.errors)} errors):\n  " + "\n  ".join(error.errors)
            ) from None
        self.stdout.write(
            f"{path.name}: {result.subjects_created} subjects and {result.courses_created} courses or levels added, "
            f"{result.subjects_updated} subjects and {result.courses_updated} courses or levels updated, "
            f"{result.unchanged} unchanged, {result.skipped} subjects skipped (school types the catalogue "
            "does not keep)."
        )
