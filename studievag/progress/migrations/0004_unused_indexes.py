"""Drop foreign-key indexes nothing reads (about 1.1 GB nationally).

Only the indexes go: the foreign-key constraints stay as they are (Django's
own AlterField would drop and re-add each constraint, validating tens of
millions of rows while holding off writes). On PostgreSQL each index is
dropped concurrently, outside a transaction.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FOREIGN_KEYS = {
    "attendanceweek": ["course", "recorded_by", "student"],
    "progressrecord": ["course", "recorded_by", "step", "student"],
}


def drop_indexes(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for model_name, fields in FOREIGN_KEYS.items():
        model = apps.get_model("progress", model_name)
        for name in fields:
            column = model._meta.get_field(name).column
            index = schema_editor._create_index_name(model._meta.db_table, [column], suffix="")
            schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(index)}")


def create_indexes(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for model_name, fields in FOREIGN_KEYS.items():
        model = apps.get_model("progress", model_name)
        table = model._meta.db_table
        for name in fields:
            column = model._meta.get_field(name).column
            index = schema_editor._create_index_name(table, [column], suffix="")
            schema_editor.execute(
                f"CREATE INDEX {concurrently}IF NOT EXISTS {schema_editor.quote_name(index)} "
                f"ON {schema_editor.quote_name(table)} ({schema_editor.quote_name(column)})"
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("catalogue", "0001_initial"),
        ("people", "0003_legal_representative"),
        ("progress", "0003_scales_moved"),
        ("scales", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes, elidable=False)],
            state_operations=[
                migrations.AlterField(
                    model_name="attendanceweek",
                    name="course",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalogue.course",
                        verbose_name="course",
                    ),
                ),
                migrations.AlterField(
                    model_name="attendanceweek",
                    name="recorded_by",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                migrations.AlterField(
                    model_name="attendanceweek",
                    name="student",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="people.student",
                        verbose_name="student",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressrecord",
                    name="course",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalogue.course",
                        verbose_name="course",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressrecord",
                    name="recorded_by",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressrecord",
                    name="step",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="scales.progressionstep",
                        verbose_name="step",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressrecord",
                    name="student",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="progress_records",
                        to="people.student",
                        verbose_name="student",
                    ),
                ),
            ],
        ),
    ]
