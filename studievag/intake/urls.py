from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("students/<int:pk>/intake/", views.intake_edit, name="edit"),
]
