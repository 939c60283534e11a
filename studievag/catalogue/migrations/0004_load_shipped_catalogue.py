from django.db import migrations

from studievag.catalogue.services import catalogue_load_shipped


def load(apps, schema_editor):
    """Every installation starts with the whole catalogue shipped in catalogue/data/."""
    catalogue_load_shipped(
        subject_model=apps.get_model("catalogue", "Subject"),
        course_model=apps.get_model("catalogue", "Course"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_kinds_levels_and_dates"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
