"""The REST API under /api/v1/: the OpenAPI document, its rendered documentation, the endpoints."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("redoc/", views.RedocView.as_view(), name="redoc"),
    path("students/", views.StudentList.as_view(), name="students"),
    path("students/<int:id>/", views.StudentRead.as_view(), name="student"),
    path("students/<int:id>/plan/", views.StudentPlan.as_view(), name="plan"),
    path("students/<int:id>/progress/", views.StudentProgress.as_view(), name="progress"),
    path("course-groups/", views.CourseGroups.as_view(), name="course_groups"),
    path("course-groups/<int:id>/progress/", views.ProgressWrite.as_view(), name="progress_write"),
    path("course-groups/<int:id>/attendance/", views.AttendanceWrite.as_view(), name="attendance_write"),
    path("handovers/", views.HandoverList.as_view(), name="handovers"),
    path("handovers/<int:id>/", views.HandoverRead.as_view(), name="handover"),
    path("reports/levels/", views.ReportLevels.as_view(), name="report_levels"),
    path("reports/", views.Report.as_view(), name="report"),
    # Anything else under /api/v1/ (an id that is not a number, a misspelt path): a 404 as
    # problem details, never the pages' HTML error page.
    re_path(r"^", views.not_found),
]
