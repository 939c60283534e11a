from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/schema/plan-export-v1.json", views.schema, name="schema"),
    path("plans/education/", views.education_plan_list, name="education_plan_list"),
    path("plans/education/new/", views.education_plan_create, name="education_plan_create"),
    path("plans/education/<int:pk>/", views.education_plan_detail, name="education_plan_detail"),
    path("plans/local-courses/", views.local_course_create, name="local_course_create"),
    path("plans/catalogue/search/", views.catalogue_search, name="catalogue_search"),
    path("students/<int:pk>/plan/", views.plan_detail, name="plan_detail"),
    path("students/<int:pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("students/<int:pk>/plan/history/", views.plan_history, name="plan_history"),
    path("students/<int:pk>/plan/compare/", views.plan_compare, name="plan_compare"),
    path("students/<int:pk>/plan/talks/new/", views.review_create, name="review_create"),
    path(
        "students/<int:pk>/plan/proposals/<int:proposal_id>/respond/",
        views.proposal_respond,
        name="proposal_respond",
    ),
    path("students/<int:pk>/plan/guidance/new/", views.guidance_create, name="guidance_create"),
    path("students/<int:pk>/plan/approve/", views.plan_approve, name="plan_approve"),
    path("students/<int:pk>/plan/support-needs/", views.support_needs, name="support_needs"),
    path("students/<int:pk>/plan/export.json", views.plan_export_json, name="export_json"),
    path("students/<int:pk>/plan/export.pdf", views.plan_export_pdf, name="export_pdf"),
    path("students/<int:pk>/plan/import/", views.plan_import_view, name="import"),
    path("my/students/<int:pk>/plan/", views.family_plan, name="family_plan"),
    path("my/students/<int:pk>/plan/proposal/", views.family_proposal, name="family_proposal"),
    path("my/students/<int:pk>/plan.pdf", views.family_plan_pdf, name="family_plan_pdf"),
]
