from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("students/<int:pk>/exit/", views.exit_create, name="exit_create"),
    path("students/<int:pk>/outcomes/", views.student_outcomes, name="student_outcomes"),
    path("outcomes/follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("outcomes/follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("outcomes/activity-responsibility/", views.kaa_inbox, name="kaa_inbox"),
    path("outcomes/activity-responsibility/<int:pk>/status/", views.kaa_status, name="kaa_status"),
]
