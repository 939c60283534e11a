"""A plan as plain data: the snapshot kept in each revision, and the diff of two snapshots.

A snapshot holds the whole plan's content except support needs (kept apart,
see ``studievag.support.models.SupportNeedsEntry``). Rows carry a ``key`` so that the same goal,
course or internship can be followed from one version to the next: goals and
internships by their row id, courses by school type and code.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import CourseStatus, GoalKind, GoalStatus, GoalTerm, Plan, course_label

SCALAR_FIELDS = {
    "programme": _("Programme"),
    "education_plan": _("Plan for education"),
    "study_path": _("Study path"),
    "planned_start": _("Planned start"),
    "planned_end": _("Planned end"),
    "upper_secondary_started": _("Started upper-secondary education"),
    "other_training": _("Other vocational training"),
    "other_measures": _("Other measures"),
    "participants": _("Who took part in drawing it up"),
    "student_voice": _("The student's own words"),
}
ROW_SECTIONS = {
    "goals": (_("Goals"), ["term", "kind", "title", "target_date", "status"]),
    "courses": (_("Subjects and courses"), ["name", "term", "status", "weekly_hours"]),
    "internships": (_("Internships"), ["workplace", "start_date", "end_date", "supervisor", "tasks"]),
}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _hours(value) -> str | None:
    """Hours a week as text ("4.5"), so snapshots compare exactly and stay JSON."""
    return None if value is None else f"{value:.1f}"


def plan_snapshot(plan: Plan) -> dict:
    """The plan's current content as JSON-ready data (reads goals, courses, internships)."""
    education_plan = plan.education_plan()
    return {
        "programme": plan.programme.code if plan.programme_id else None,
        "education_plan": (f"{education_plan.title} (v{education_plan.version})" if education_plan else None),
        "study_path": plan.study_path,
        "planned_start": _iso(plan.planned_start),
        "planned_end": _iso(plan.planned_end),
        "upper_secondary_started": _iso(plan.upper_secondary_started),
        "other_training": plan.other_training,
        "other_measures": plan.other_measures,
        "participants": plan.participants,
        "student_voice": plan.student_voice,
        "goals": [
            {
                "key": f"goal-{g.pk}",
                "term": g.term,
                "kind": g.kind,
                "title": g.title,
                "target_date": _iso(g.target_date),
                "status": g.status,
            }
            for g in plan.goals.order_by("pk")
        ],
        "courses": [
            {
                "key": c.course.key,
                "school_type": c.course.school_type,
                "code": c.course.code,
                "name": course_label(c.course),
                "term": c.term,
                "status": c.status,
                "weekly_hours": _hours(c.weekly_hours),
            }
            for c in plan.courses.select_related("course__subject").order_by("pk")
        ],
        "internships": [
            {
                "key": f"internship-{i.pk}",
                "workplace": i.workplace,
                "start_date": _iso(i.start_date),
                "end_date": _iso(i.end_date),
                "supervisor": i.supervisor,
                "tasks": i.tasks,
            }
            for i in plan.internships.order_by("pk")
        ],
    }


# Stored values shown by their labels when two versions are compared.
VALUE_LABELS = {
    ("goals", "term"): GoalTerm,
    ("goals", "kind"): GoalKind,
    ("goals", "status"): GoalStatus,
    ("courses", "status"): CourseStatus,
}


def _shown(section: str, column: str, value):
    choices = VALUE_LABELS.get((section, column))
    if choices is not None and value in choices.values:
        return choices(value).label
    return value


ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"


@dataclass
class FieldDiff:
    name: str
    label: str
    kind: str
    old: object
    new: object


@dataclass
class RowDiff:
    kind: str
    old: dict | None
    new: dict | None
    changed_fields: set[str] = field(default_factory=set)

    @property
    def cells(self) -> list[tuple[str, object, object, bool]]:
        """(field, old, new, changed) for the row's columns, in order."""
        return [
            (
                name,
                _shown(self.section, name, (self.old or {}).get(name)),
                _shown(self.section, name, (self.new or {}).get(name)),
                name in self.changed_fields,
            )
            for name in self.columns
        ]

    columns: tuple[str, ...] = ()
    section: str = ""


@dataclass
class SectionDiff:
    name: str
    label: str
    columns: list[str]
    rows: list[RowDiff]

    @property
    def changed(self) -> bool:
        return any(r.kind != SAME for r in self.rows)


@dataclass
class PlanDiff:
    fields: list[FieldDiff]
    sections: list[SectionDiff]

    @property
    def changed(self) -> bool:
        return any(f.kind != SAME for f in self.fields) or any(s.changed for s in self.sections)

    def summary(self) -> dict[str, int]:
        counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for f in self.fields:
            if f.kind != SAME:
                counts[f.kind] += 1
        for s in self.sections:
            for r in s.rows:
                if r.kind != SAME:
                    counts[r.kind] += 1
        return counts


def _kind(old, new) -> str:
    if old == new:
        return SAME
    if old in (None, ""):
        return ADDED
    if new in (None, ""):
        return REMOVED
    return CHANGED


def diff_snapshots(old: dict, new: dict) -> PlanDiff:
    """What changed from ``old`` to ``new``, per field and per goal, course and internship row."""
    fields = [
        FieldDiff(name, str(label), _kind(old.get(name), new.get(name)), old.get(name), new.get(name))
        for name, label in SCALAR_FIELDS.items()
    ]
    sections = []
    for name, (label, columns) in ROW_SECTIONS.items():
        old_rows = {r["key"]: r for r in old.get(name, [])}
        new_rows = {r["key"]: r for r in new.get(name, [])}
        rows = []
        for key, row in new_rows.items():
            before = old_rows.get(key)
            if before is None:
                rows.append(RowDiff(ADDED, None, row, set(columns), tuple(columns), name))
            else:
                changed = {c for c in columns if before.get(c) != row.get(c)}
                rows.append(RowDiff(CHANGED if changed else SAME, before, row, changed, tuple(columns), name))
        for key, row in old_rows.items():
            if key not in new_rows:
                rows.append(RowDiff(REMOVED, row, None, set(columns), tuple(columns), name))
        sections.append(SectionDiff(name, str(label), columns, rows))
    return PlanDiff(fields, sections)
