from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("interop/", views.connection_list, name="connection_list"),
    path("interop/organisers/<int:organiser_pk>/", views.connection_detail, name="connection_detail"),
    path("interop/organisers/<int:organiser_pk>/run/", views.run_request, name="run_request"),
    path("interop/runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("interop/conflicts/", views.conflict_list, name="conflict_list"),
    path("interop/conflicts/<int:pk>/decide/", views.conflict_decide, name="conflict_decide"),
    path("students/<int:pk>/plan/ss12000.json", views.plan_ss12000, name="plan_ss12000"),
]
