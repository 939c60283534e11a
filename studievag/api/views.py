"""The REST API, version 1. Views stay thin: the permission class checks scope and role
(``permissions.ENDPOINTS``), a selector reads through the engine and logs, a service writes."""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from studievag.progress.services import AttendanceRow

from . import (
    schema,  # noqa: F401 - registers the token's OpenAPI extension
    selectors,
    services,
)
from .problems import PROBLEM_JSON
from .serializers import (
    AttendanceBatchIn,
    AttendanceBatchOut,
    CourseGroupOut,
    HandoverDetail,
    HandoverQuery,
    HandoverSummary,
    LevelOut,
    ProgressBatchIn,
    ProgressBatchOut,
    ProgressOut,
    ReportOut,
    ReportQuery,
    StudentDetail,
    StudentListQuery,
    StudentPage,
)

STUDENT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The student's id in Studieväg.")


class Endpoint(APIView):
    """An API endpoint: ``endpoint`` names its row in ``permissions.ENDPOINTS``; ``query`` its parameters.

    A query parameter it does not take is a 400, so a misspelt filter is never silently ignored."""

    endpoint = ""
    query: type[Serializer] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the token, the scope and role, the throttle first
        known = set(self.query().fields) if self.query else set()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError({name: [_("This endpoint takes no such parameter.")] for name in unknown})


def _query(serializer_class, request) -> dict:
    # A plain dict: an empty parameter is then an error, as the document says, not "not given".
    query = serializer_class(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class StudentList(Endpoint):
    endpoint = "students"
    query = StudentListQuery

    @extend_schema(
        operation_id="students_list",
        summary="Students in the integration's scope",
        description=(
            "The same list as the student list page, for the integration's roles. Each student on "
            "the returned page is logged as a read of the basic record. Scope: `students:read`."
        ),
        parameters=[StudentListQuery],
        responses={200: StudentPage},
        tags=["students"],
    )
    def get(self, request):
        return Response(selectors.student_page(request._request, _query(StudentListQuery, request)))


class StudentRead(Endpoint):
    endpoint = "student"

    @extend_schema(
        operation_id="students_retrieve",
        summary="One student with enrolments and groups",
        description="Logged as a read of the basic record and the enrolments. Scope: `students:read`.",
        parameters=[STUDENT_ID],
        responses={200: StudentDetail},
        tags=["students"],
    )
    def get(self, request, id: int):
        return Response(selectors.student_detail(request._request, id))


class StudentPlan(Endpoint):
    endpoint = "plan"

    @extend_schema(
        operation_id="students_plan",
        summary="The student's individual study plan",
        description=(
            "The plan as the portable document `studievag.plan/1` (the same as the plan's JSON export; "
            "its JSON Schema is published at /plans/schema/). Logged as a read of the plan. "
            "404 when the student has no plan. Scope: `plans:read`."
        ),
        parameters=[STUDENT_ID],
        responses={200: OpenApiTypes.OBJECT},
        tags=["plans"],
    )
    def get(self, request, id: int):
        return Response(selectors.student_plan(request._request, id))


class StudentProgress(Endpoint):
    endpoint = "progress"

    @extend_schema(
        operation_id="students_progress",
        summary="The student's progression, grades and attendance",
        description=(
            "Each course's steps from the starting level, the standing against the course goal and "
            "the grade; attendance per week. Logged as a read of the basic record and the progression. "
            "Scope: `progress:read`."
        ),
        parameters=[STUDENT_ID],
        responses={200: ProgressOut},
        tags=["progress"],
    )
    def get(self, request, id: int):
        return Response(selectors.student_progress(request._request, id))


GROUP_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The course group's id.")


class CourseGroups(Endpoint):
    endpoint = "course_groups"

    @extend_schema(
        operation_id="course_groups_list",
        summary="Course groups the integration records for",
        description=(
            "The groups (as a teacher's or the principal's), each with its members and the course's "
            "progression scale: what a learning platform needs to send steps and attendance. The "
            "members are logged as a read of the basic record. Scope: `progress:write` or `attendance:write`."
        ),
        responses={200: CourseGroupOut(many=True)},
        tags=["progress"],
    )
    def get(self, request):
        return Response(selectors.course_groups(request._request))


class ProgressWrite(Endpoint):
    endpoint = "progress_write"

    @extend_schema(
        operation_id="course_groups_progress_create",
        summary="Record progression steps for students of a course group",
        description=(
            "Through the same service as the teacher's grid: one record per student, course and day; "
            "sending the same step again changes nothing. All or nothing: if any row is wrong, "
            "nothing is saved and `errors` names each row and field (`records[2].step`). "
            "Scope: `progress:write`."
        ),
        parameters=[GROUP_ID],
        request=ProgressBatchIn,
        responses={200: ProgressBatchOut},
        tags=["progress"],
    )
    def post(self, request, id: int):
        group = selectors.course_group_for(request.user, id)
        data = ProgressBatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        on = data.validated_data.get("recorded_on") or timezone.localdate()
        rows = [services.ProgressRow(r["student"], r["step"]) for r in data.validated_data["records"]]
        changed, unchanged = services.progress_batch_record(acting_user=request.user, group=group, rows=rows, on=on)
        return Response({"recorded_on": on, "changed": changed, "unchanged": unchanged})


class AttendanceWrite(Endpoint):
    endpoint = "attendance_write"

    @extend_schema(
        operation_id="course_groups_attendance_create",
        summary="Save attendance weeks for students of a course group",
        description=(
            "Through the same service as the attendance grid and CSV import: scheduled minutes and "
            "valid and invalid absence per student and week; a week sent again is overwritten. All or "
            "nothing: `errors` names each bad row (row 1 is the first of `rows`) and field. "
            "Scope: `attendance:write`."
        ),
        parameters=[GROUP_ID],
        request=AttendanceBatchIn,
        responses={200: AttendanceBatchOut},
        tags=["progress"],
    )
    def post(self, request, id: int):
        group = selectors.course_group_for(request.user, id)
        data = AttendanceBatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            AttendanceRow(
                r["student"],
                r["week_start"],
                r["scheduled_minutes"],
                r["valid_absence_minutes"],
                r["invalid_absence_minutes"],
            )
            for r in data.validated_data["rows"]
        ]
        saved = services.attendance_batch_save(
            acting_user=request.user, group=group, rows=rows, on=timezone.localdate()
        )
        return Response({"saved": saved})


class HandoverList(Endpoint):
    endpoint = "handovers"
    query = HandoverQuery

    @extend_schema(
        operation_id="handovers_list",
        summary="Handovers received at the integration's school units",
        description=(
            "As the incoming list: sent, received, meeting held or closed (never drafts), without "
            "their content; at most 500, deadline first. Those linked to a student record are logged "
            "as a read of the handover. Scope: `handovers:read`."
        ),
        parameters=[HandoverQuery],
        responses={200: HandoverSummary(many=True)},
        tags=["handovers"],
    )
    def get(self, request):
        query = _query(HandoverQuery, request)
        return Response(selectors.handover_list(request._request, status=query.get("status", "")))


class HandoverRead(Endpoint):
    endpoint = "handovers"

    @extend_schema(
        operation_id="handovers_retrieve",
        summary="One received handover with its content",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The handover's id.")],
        responses={200: HandoverDetail},
        tags=["handovers"],
    )
    def get(self, request, id: int):
        return Response(selectors.handover_detail(request._request, id))


class ReportLevels(Endpoint):
    endpoint = "report_levels"

    @extend_schema(
        operation_id="reports_levels",
        summary="The levels the integration may report on",
        description="School units, organisers and regions, as on the report page. Scope: `reports:read`.",
        responses={200: LevelOut(many=True)},
        tags=["reports"],
    )
    def get(self, request):
        return Response(selectors.report_levels(request.user))


class Report(Endpoint):
    endpoint = "report"
    query = ReportQuery

    @extend_schema(
        operation_id="reports_retrieve",
        summary="A level's group-level figures",
        description=(
            "Every indicator for a level and period, broken down by up to two dimensions, through the "
            "same door as the report page: a figure resting on too few students is hidden (`..`), "
            "together with every figure that would let it be worked out from anything else the "
            "integration can open. Never unsuppressed. Scope: `reports:read`."
        ),
        parameters=[ReportQuery],
        responses={200: ReportOut},
        tags=["reports"],
    )
    def get(self, request):
        return Response(selectors.report(request.user, _query(ReportQuery, request)))


@csrf_exempt
def not_found(request, *args, **kwargs):
    return JsonResponse(
        {"type": "about:blank", "title": "Not found", "status": 404, "detail": str(_("No such endpoint or object."))},
        status=404,
        content_type=PROBLEM_JSON,
    )


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document (public: it holds no personal data)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []


class DocsView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []
    url_name = "api:schema"
    # Swagger UI with a language on the page and colours that pass WCAG 2.1 AA.
    template_name = "api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []
    url_name = "api:schema"
    template_name = "api/redoc.html"
