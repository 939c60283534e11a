from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("students/<int:pk>/support-needs/", views.support_needs, name="needs"),
]
