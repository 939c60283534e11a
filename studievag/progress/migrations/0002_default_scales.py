"""The shipped progression scales: Swedish as a second language, mathematics,
English, and a generic four-step scale for subjects without their own."""

from django.db import migrations

from studievag.scales.defaults import create_default_scales


def forwards(apps, schema_editor):
    create_default_scales(apps.get_model("progress", "ProgressionScale"), apps.get_model("progress", "ProgressionStep"))


def backwards(apps, schema_editor):
    apps.get_model("progress", "ProgressionScale").objects.filter(organiser=None).delete()


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
