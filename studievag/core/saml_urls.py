"""SAML sign-on (``/saml2/``): the addresses registered with the federation stay as they are."""

from django.urls import path

from . import saml_views

app_name = "saml"
urlpatterns = [
    path("choose/", saml_views.choose, name="choose"),
    path("login/", saml_views.LoginView.as_view(), name="login"),
    path("acs/", saml_views.AssertionConsumerServiceView.as_view(), name="acs"),
    path("metadata/", saml_views.MetadataView.as_view(), name="metadata"),
]
