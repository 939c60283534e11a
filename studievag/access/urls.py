from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("access/staff/", views.staff, name="staff"),
    path("access/staff/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("access/staff/<int:pk>/end/", views.revoke, name="revoke"),
    path("access/changes/", views.changes, name="changes"),
]
