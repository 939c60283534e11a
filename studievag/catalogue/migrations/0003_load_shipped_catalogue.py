from django.db import migrations


def load(apps, schema_editor):
    """Every installation starts with the whole catalogue shipped in catalogue/data/."""
    from studievag.catalogue.services import catalogue_load_shipped  # noqa: PLC0415 (data migration)

    catalogue_load_shipped(
        subject_model=apps.get_model("catalogue", "Subject"),
        course_model=apps.get_model("catalogue", "Course"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_kinds_levels_and_dates"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
