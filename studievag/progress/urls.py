from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("progress/groups/", views.groups, name="groups"),
    path("progress/groups/<int:pk>/", views.grid, name="grid"),
    path("progress/groups/<int:pk>/record/", views.record_api, name="record_api"),
    path("progress/groups/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("progress/groups/<int:pk>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("progress/groups/<int:pk>/attendance/template.csv", views.attendance_template, name="attendance_template"),
    path(
        "progress/groups/<int:pk>/attendance/template.xlsx",
        views.attendance_template,
        {"kind": "xlsx"},
        name="attendance_template_xlsx",
    ),
    path("progress/teams/", views.teams, name="teams"),
    path("progress/teams/group/<int:pk>/", views.team_group, name="team_group"),
    path("progress/teams/unit/<int:pk>/", views.team_unit, name="team_unit"),
    path(
        "progress/teams/<str:kind>/<int:pk>/students/<int:student>/decisions/",
        views.decision_create,
        name="decision_create",
    ),
    path("students/<int:pk>/progress/", views.student_progress, name="student"),
    path("my/students/<int:pk>/progress/", views.family_progress, name="family_student"),
    path("progress/settings/", views.settings_page, name="settings"),
    path("progress/settings/scales/new/", views.scale_create, name="scale_create"),
    path("progress/settings/scales/<int:pk>/", views.scale_edit, name="scale_edit"),
    path("progress/help/", views.help_page, name="help"),
]
