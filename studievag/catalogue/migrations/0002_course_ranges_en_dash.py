"""Stage names from Skolverket's file ("Årskurs 7-9") with an en dash, as Swedish writes a range."""

import re

from django.db import migrations

RANGE = re.compile(r"(?<=\d)-(?=\d)")


def forwards(apps, schema_editor):
    Course = apps.get_model("catalogue", "Course")
    for course in Course.objects.filter(name__regex=r"[0-9]-[0-9]"):
        course.name = RANGE.sub("–", course.name)
        course.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
