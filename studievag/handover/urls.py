from django.urls import path

from . import views

app_name = "handover"
urlpatterns = [
    path("", views.outgoing, name="outgoing"),
    path("new/", views.create, name="create"),
    path("incoming/", views.incoming, name="incoming"),
    path("settings/", views.settings_page, name="settings"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/place/", views.place, name="place"),
    path("my/", views.family, name="family"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/receive/", views.receive, name="receive"),
    path("<int:pk>/book/", views.book_meeting, name="book"),
    path("<int:pk>/meeting/", views.record_meeting, name="meeting"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/start/", views.start_record, name="start_record"),
]
