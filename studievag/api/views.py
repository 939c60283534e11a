"""The REST API, version 1. Views stay thin: the permission class checks scope and role
(``permissions.ENDPOINTS``), a selector reads through the engine and logs, a service writes."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import (
    schema,  # noqa: F401 - registers the token's OpenAPI extension
    selectors,
)
from .serializers import StudentDetail, StudentListQuery, StudentPage

STUDENT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The student's id in Studieväg.")


class Endpoint(APIView):
    endpoint = ""


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class StudentList(Endpoint):
    endpoint = "students"

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
