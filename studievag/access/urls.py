from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("access/staff/", views.staff, name="staff"),
    path("access/staff/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("access/staff/<int:pk>/end/", views.revoke, name="revoke"),
    path("access/groups/", views.groups, name="groups"),
    path("access/groups/<int:pk>/add/", views.group_add, name="groups_add"),
    path("access/groups/memberships/<int:pk>/end/", views.group_end, name="groups_end"),
    path("access/changes/", views.changes, name="changes"),
]
