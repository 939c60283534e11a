from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [path("audit/", views.read_log, name="read_log")]
