from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("my/surveys/", views.my_surveys, name="my_surveys"),
    path("my/surveys/<int:pk>/", views.answer, name="answer"),
    path("surveys/", views.wave_list, name="wave_list"),
    path("surveys/new/", views.wave_new, name="wave_new"),
    path("surveys/<int:pk>/edit/", views.wave_edit, name="wave_edit"),
    path("surveys/<int:pk>/results/", views.results, name="results"),
    path("surveys/<int:pk>/free-text/<int:unit_pk>/", views.free_text, name="free_text"),
]
