"""The administrator's pages for integrations, under /integrations/."""

from django.urls import path

from . import pages

app_name = "integrations"

urlpatterns = [
    path("", pages.integration_list, name="list"),
    path("<int:pk>/token/", pages.token_issue, name="token_issue"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
