"""Indexes the group-level reports need on other areas' tables.

They are created here, by the area whose queries need them, so the owning
areas' models stay as they are; on PostgreSQL concurrently, outside a
transaction, so a national database keeps taking writes while they are built.
See ``studievag/benchmark`` for the queries they serve.
"""

from django.db import migrations

from ._indexes import create_indexes

INDEXES = [
    # The period population: the latest enrolment per student in a period.
    ("quality_enrolment_student_start", "enrolments_enrolment", "student_id, start_date"),
    ("quality_enrolment_start_end", "enrolments_enrolment", "start_date, end_date"),
    # Attendance and progression over a period, nationally.
    ("quality_attendance_week_student", "progress_attendanceweek", "week_start, student_id"),
    ("quality_progress_on_student", "progress_progressrecord", "recorded_on, student_id"),
    ("quality_grade_student_awarded", "progress_graderecord", "student_id, awarded_on"),
    ("quality_review_plan_held", "plans_planreview", "plan_id, held_on"),
    ("quality_goal_plan_target", "plans_plangoal", "plan_id, target_date"),
]


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("quality", "0001_initial"),
        ("enrolments", "0002_studentgroup_course"),
        ("progress", "0002_default_scales"),
        ("plans", "0001_initial"),
    ]
    operations = [create_indexes(INDEXES)]
