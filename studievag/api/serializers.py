"""The shapes the API answers with and accepts. Reads are built by ``selectors.py``;
the serializers document them (OpenAPI) and check the input of writes."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from studievag.enrolments.models import Enrolment, StudentGroup
from studievag.handover.models import Status as HandoverStatus
from studievag.limits import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS
from studievag.organisations.models import CURRENT_PROGRAMMES, LEGACY_PROGRAMMES
from studievag.people.models import Student
from studievag.quality.dimensions import available_dimensions


class UnitRef(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="Skolenhetskod.")
    name = serializers.CharField()


class StudentSummary(serializers.Serializer):
    id = serializers.IntegerField()
    protected_identity = serializers.BooleanField(
        help_text="Skyddade personuppgifter: name, number and date of birth are left out unless the "
        "integration's roles are at the student's own school unit."
    )
    first_name = serializers.CharField(allow_null=True)
    last_name = serializers.CharField(allow_null=True)
    personal_identity_number = serializers.CharField(
        allow_null=True, help_text="Personnummer, samordningsnummer or another number, 12 digits."
    )
    date_of_birth = serializers.DateField(allow_null=True)
    gender = serializers.ChoiceField(choices=Student.Gender.choices)
    programme_code = serializers.CharField(allow_null=True, help_text="The latest enrolment's programme (IMS …).")
    school_unit = serializers.CharField(allow_null=True, help_text="The latest enrolment's school unit.")
    enrolment_start = serializers.DateField(allow_null=True)
    enrolment_end = serializers.DateField(allow_null=True)


class EnrolmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    programme_code = serializers.CharField()
    school_unit = UnitRef()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    exit_reason = serializers.ChoiceField(choices=[("", "")] + list(Enrolment.ExitReason.choices))


class GroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=StudentGroup.Kind.choices)
    school_unit_id = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class StudentDetail(StudentSummary):
    enrolments = EnrolmentOut(many=True)
    groups = GroupOut(many=True)


# Exactly the characters Python's str.split() takes for a space (ECMA's \s also takes U+FEFF, which
# Python keeps in a word: the pattern must count words as the search does).
_SPACE_CHARS = r"\t\n\x0b\x0c\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE = f"[{_SPACE_CHARS}]"


class StudentListQuery(serializers.Serializer):
    q = serializers.RegexField(
        # At most SEARCH_MAX_WORDS words, as the student list's search box. The spaces are
        # spelt out: Python's \s and the \s of the document's (ECMA) patterns differ.
        rf"^{_SPACE}*([^{_SPACE_CHARS}\x00]+({_SPACE}+[^{_SPACE_CHARS}\x00]+){{0,{SEARCH_MAX_WORDS - 1}}})?{_SPACE}*$",
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=SEARCH_MAX_CHARS,
        help_text=f"Name or identity number; at most {SEARCH_MAX_WORDS} words.",
    )
    school_unit = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    group = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    programme = serializers.ChoiceField(
        choices=sorted([*CURRENT_PROGRAMMES, *LEGACY_PROGRAMMES]), required=False, help_text="A programme code."
    )
    former = serializers.BooleanField(required=False, default=False, help_text="Also students who have left.")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10**6, default=0)


class StudentPage(serializers.Serializer):
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = StudentSummary(many=True)


# --- Progression ---------------------------------------------------------------------


class StepOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    label = serializers.CharField()
    is_goal = serializers.BooleanField()


class CourseOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class RecordOut(serializers.Serializer):
    recorded_on = serializers.DateField()
    step = StepOut()


STATUSES = ["in_line", "behind", "far_behind", "not_assessed"]


class CourseProgressOut(serializers.Serializer):
    course = CourseOut()
    group_id = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=STATUSES, help_text="In line with the course goal, behind, far behind.")
    start_step = StepOut(allow_null=True)
    current_step = StepOut(allow_null=True)
    goal_position = serializers.IntegerField()
    planned_end = serializers.DateField()
    grade = serializers.CharField(allow_null=True)
    records = RecordOut(many=True)


class AttendanceWeekOut(serializers.Serializer):
    week_start = serializers.DateField()
    scheduled_minutes = serializers.IntegerField()
    valid_absence_minutes = serializers.IntegerField()
    invalid_absence_minutes = serializers.IntegerField()


class ProgressOut(serializers.Serializer):
    student_id = serializers.IntegerField()
    on = serializers.DateField()
    worst_status = serializers.ChoiceField(choices=STATUSES)
    recent_attendance_percent = serializers.FloatField(allow_null=True)
    courses = CourseProgressOut(many=True)
    attendance = AttendanceWeekOut(many=True)


class MemberOut(serializers.Serializer):
    id = serializers.IntegerField()
    protected_identity = serializers.BooleanField()
    first_name = serializers.CharField(allow_null=True)
    last_name = serializers.CharField(allow_null=True)
    personal_identity_number = serializers.CharField(allow_null=True)


class CourseGroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    school_unit = UnitRef()
    course = CourseOut()
    steps = StepOut(many=True, help_text="The course's progression scale, lowest first.")
    members = MemberOut(many=True)


MAX_BATCH = 500


class ProgressRecordIn(serializers.Serializer):
    student = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The student's id.")
    step = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="A step id of the course's scale.")


class ProgressBatchIn(serializers.Serializer):
    recorded_on = serializers.DateField(
        required=False, help_text="The day the steps were reached: today (the default) or up to 31 days back."
    )
    records = serializers.ListField(child=ProgressRecordIn(), min_length=1, max_length=MAX_BATCH)

    def validate_recorded_on(self, value):
        today = timezone.localdate()
        if value > today:
            raise serializers.ValidationError(_("A step cannot be recorded for a day that has not come."))
        if value < today - datetime.timedelta(days=31):
            raise serializers.ValidationError(_("At most 31 days back."))
        return value


class ProgressBatchOut(serializers.Serializer):
    recorded_on = serializers.DateField()
    changed = serializers.IntegerField(help_text="Records written or corrected.")
    unchanged = serializers.IntegerField(help_text="Rows that already stood so (a repeated batch changes nothing).")


MINUTES = {"min_value": 0, "max_value": 7 * 24 * 60}


class AttendanceRowIn(serializers.Serializer):
    student = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    week_start = serializers.DateField(help_text="The Monday of the week.")
    scheduled_minutes = serializers.IntegerField(**MINUTES)
    valid_absence_minutes = serializers.IntegerField(**MINUTES)
    invalid_absence_minutes = serializers.IntegerField(**MINUTES)


class AttendanceBatchIn(serializers.Serializer):
    rows = serializers.ListField(child=AttendanceRowIn(), min_length=1, max_length=MAX_BATCH)


class AttendanceBatchOut(serializers.Serializer):
    saved = serializers.IntegerField()


# --- Handovers -------------------------------------------------------------------------


class OrganiserRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HandoverSummary(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=HandoverStatus.choices)
    sending_unit = UnitRef()
    receiving_unit = UnitRef(allow_null=True)
    receiving_organiser = OrganiserRef(allow_null=True)
    programme_code = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    student_id = serializers.IntegerField(allow_null=True, help_text="The student record it is linked to, once linked.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    identity_number = serializers.CharField(allow_null=True)
    date_of_birth = serializers.DateField()
    sent_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)


class HandoverDetail(HandoverSummary):
    grades = serializers.CharField(allow_blank=True)
    merit_value = serializers.CharField(allow_null=True, help_text="Meritvärde, a decimal as text.")
    subjects_levels = serializers.CharField(allow_blank=True)
    mother_tongue = serializers.CharField(allow_blank=True)
    languages = serializers.CharField(allow_blank=True)
    schooling_in_sweden = serializers.CharField(allow_blank=True)
    schooling_abroad_years = serializers.IntegerField(allow_null=True)
    schooling_abroad = serializers.CharField(allow_blank=True)
    what_worked = serializers.CharField(allow_blank=True)
    support_measures = serializers.CharField(allow_blank=True)
    support_effect = serializers.CharField(allow_blank=True)
    attendance = serializers.CharField(allow_blank=True)
    student_voice = serializers.CharField(allow_blank=True)
    other_information = serializers.CharField(
        allow_blank=True, help_text="Health and social circumstances, handed over only with the recorded consent."
    )
    consent_by = serializers.CharField(allow_blank=True)
    consent_given_on = serializers.DateField(allow_null=True)
    meeting_on = serializers.DateField(allow_null=True)
    meeting_held_on = serializers.DateField(allow_null=True)
    meeting_participants = serializers.CharField(allow_blank=True)
    meeting_student_voice = serializers.CharField(allow_blank=True)
    meeting_notes = serializers.CharField(allow_blank=True)


class HandoverQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=HandoverStatus.choices, required=False)


# --- Reports ----------------------------------------------------------------------------


class LevelOut(serializers.Serializer):
    code = serializers.CharField(help_text="As the report's `level` parameter, e.g. organiser:3.")
    kind = serializers.ChoiceField(choices=["unit", "organiser", "region", "national"])
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()


def _dimension_choices() -> list[str]:
    return sorted(available_dimensions())


class ReportQuery(serializers.Serializer):
    level = serializers.RegexField(
        r"^((unit|organiser|region):[1-9][0-9]{0,9}|national)$",
        required=False,
        help_text="A level's code from /reports/levels/ (e.g. organiser:3); the first by default. "
        "A level the integration may not report on is a 404.",
    )
    period = serializers.RegexField(
        r"^(ht|vt|sy)(199[0-9]|20[0-9]{2})$",
        required=False,
        help_text="ht2026 (autumn), vt2026 (spring) or sy2025 (school year 2025/26); this term by default.",
    )
    programme = serializers.ChoiceField(choices=sorted(CURRENT_PROGRAMMES), required=False)
    dim1 = serializers.ChoiceField(choices=_dimension_choices(), required=False, help_text="A breakdown.")
    dim2 = serializers.ChoiceField(
        choices=_dimension_choices(), required=False, help_text="A second breakdown (the same twice counts once)."
    )


class FigureOut(serializers.Serializer):
    text = serializers.CharField(help_text="As shown: the number, `..` hidden (too few), `.` missing, `–` nothing.")
    value = serializers.FloatField(allow_null=True, help_text="Null when hidden or missing.")
    hidden = serializers.BooleanField()
    missing = serializers.BooleanField()


class KeyLabel(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class IndicatorOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    kind = serializers.CharField()
    missing = serializers.CharField(allow_null=True, help_text="Why the indicator has no data, when it has none.")
    rows = KeyLabel(many=True, help_text="The first breakdown's groups; the last is the total.")
    cols = KeyLabel(many=True, help_text="The second breakdown's groups; the last is the total.")
    cells = serializers.ListField(child=FigureOut(many=True), help_text="cells[row][col].")


class PeriodOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ReportOut(serializers.Serializer):
    level = LevelOut()
    period = PeriodOut()
    programme = serializers.CharField(allow_null=True)
    dims = serializers.ListField(child=serializers.CharField())
    indicators = IndicatorOut(many=True)
