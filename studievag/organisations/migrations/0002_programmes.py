"""Skolverket's introduction programmes are reference data: every database has them."""

from django.db import migrations

CURRENT = {
    "IMA": "Individuellt alternativ",
    "IMS": "Språkintroduktion",
    "IMV": "Programinriktat val",
    "IMY": "Yrkesintroduktion",
}
LEGACY = {
    "IMPRE": ("Preparandutbildning", "IMV"),
    "IMPRO": ("Programinriktat individuellt val", "IMV"),
    "IMYRK": ("Yrkesintroduktion (före 2019)", "IMY"),
    "IMIND": ("Individuellt alternativ (före 2019)", "IMA"),
    "IMSPR": ("Språkintroduktion (före 2019)", "IMS"),
}


def add_programmes(apps, schema_editor):
    Programme = apps.get_model("organisations", "Programme")
    current = {}
    for code, name in CURRENT.items():
        current[code], _ = Programme.objects.update_or_create(code=code, defaults={"name": name, "is_active": True})
    for code, (name, successor) in LEGACY.items():
        Programme.objects.update_or_create(
            code=code, defaults={"name": name, "is_active": False, "successor": current[successor]}
        )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(add_programmes, migrations.RunPython.noop)]
