"""The shapes the API answers with and accepts. Reads are built by ``selectors.py``;
the serializers document them (OpenAPI) and check the input of writes."""

from rest_framework import serializers

from studievag.enrolments.models import Enrolment, StudentGroup
from studievag.people.models import Student


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


class StudentListQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, help_text="Name or identity number.")
    school_unit = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    group = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    programme = serializers.CharField(required=False, max_length=8, help_text="A programme code, e.g. IMS.")
    former = serializers.BooleanField(required=False, default=False, help_text="Also students who have left.")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10**6, default=0)


class StudentPage(serializers.Serializer):
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = StudentSummary(many=True)
