from django.db import migrations


class Migration(migrations.Migration):
    """The intake's one-row store of support needs, moved into SupportNeedsEntry by 0002."""

    dependencies = [
        ("intake", "0002_support_needs_one_store"),
    ]

    operations = [
        migrations.RemoveField(model_name="supportneeds", name="recorded_by"),
        migrations.RemoveField(model_name="supportneeds", name="student"),
        migrations.DeleteModel(name="HistoricalSupportNeeds"),
        migrations.DeleteModel(name="SupportNeeds"),
    ]
