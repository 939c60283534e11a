from django.urls import include, path

from . import views

# The URL names keep the namespaces they had when these pages lived with the
# people and audit areas (``people:student_detail``, ``audit:read_log``).
people_patterns = [
    path("students/", views.student_list, name="student_list"),
    path("students/new/", views.student_create, name="student_create"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", views.student_edit, name="student_edit"),
    path("students/<int:pk>/identity/", views.student_identity_link, name="identity_link"),
    path("students/<int:pk>/legal-representative/", views.legal_representative, name="legal_representative"),
    path(
        "students/<int:pk>/guardians/<int:link_pk>/consent/",
        views.guardian_consent,
        name="guardian_consent",
    ),
    path("my/", views.family_home, name="family_home"),
    path("my/students/<int:pk>/", views.family_student, name="family_student"),
    path("my/reads/", views.family_reads, name="family_reads"),
]

audit_patterns = [path("audit/", views.read_log, name="read_log")]

urlpatterns = [
    path("", include((people_patterns, "people"))),
    path("", include((audit_patterns, "audit"))),
]
