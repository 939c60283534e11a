from django.urls import path

from . import handover_counts, views

app_name = "quality"
urlpatterns = [
    path("", views.report, name="report"),
    path("export.<str:fmt>", views.export, name="export"),
    path("outcomes/", views.outcome_report, name="outcome_report"),
    path("pdf/<uuid:pk>/", views.pdf, name="pdf"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<slug:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("reflections/", views.reflection_list, name="reflections"),
    path("overview/", views.overview, name="overview"),
    path("handovers/", handover_counts.handovers, name="handovers"),
]
