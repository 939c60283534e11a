"""Indexes for the incremental facts refresh: which students' records were saved since when.

Built concurrently on PostgreSQL (see ``_indexes.py``).
"""

from django.db import migrations

from ._indexes import create_indexes

INDEXES = [
    ("quality_progress_saved", "progress_progressrecord", "recorded_at"),
    ("quality_attendance_saved", "progress_attendanceweek", "recorded_at"),
    ("quality_grade_saved", "progress_graderecord", "recorded_at"),
    ("quality_review_saved", "plans_planreview", "recorded_at"),
    ("quality_plan_changed", "plans_plan", "updated_at"),
    ("quality_mapping_changed", "intake_intakemapping", "updated_at"),
]


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("quality", "0004_periodfactsstatus_changes_until"),
        ("progress", "0002_default_scales"),
        ("plans", "0001_initial"),
        ("intake", "0001_initial"),
    ]
    operations = [create_indexes(INDEXES)]
