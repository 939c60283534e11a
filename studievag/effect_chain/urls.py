from django.urls import path

from . import views

app_name = "effect_chain"
urlpatterns = [
    path("", views.chain_list, name="chain_list"),
    path("<int:pk>/", views.chain_detail, name="chain_detail"),
    path("<int:pk>/edit/", views.chain_edit, name="chain_edit"),
    path("<int:pk>/nodes/new/", views.node_create, name="node_create"),
    path("<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("<int:pk>/board-report.<str:fmt>", views.board_report, name="board_report"),
    path("nodes/<int:pk>/edit/", views.node_edit, name="node_edit"),
    path("nodes/<int:pk>/indicators/new/", views.link_create, name="link_create"),
    path("indicators/<int:pk>/targets/", views.target_set, name="target_set"),
    path("notes/", views.notes, name="notes"),
    path("staff-development/", views.staff_development, name="staff_development"),
]
