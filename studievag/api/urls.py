"""The REST API under /api/v1/: the OpenAPI document, its rendered documentation, the endpoints."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("redoc/", views.RedocView.as_view(), name="redoc"),
    path("students/", views.StudentList.as_view(), name="students"),
    path("students/<int:id>/", views.StudentRead.as_view(), name="student"),
]
