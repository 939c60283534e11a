from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from studievag.core.auth_views import LoginView

admin.site.site_header = "Studieväg"
admin.site.site_title = "Studieväg"

urlpatterns = [
    path("", include("studievag.core.urls")),
    path(
        "login/",
        LoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # SAML sign-on (Skolfederation): every page answers 404 while it is off.
    path("saml2/", include("studievag.core.saml_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("studievag.records.urls")),
    path("", include("studievag.access.urls")),
    path("quality/", include("studievag.quality.urls")),
    path("effect-chain/", include("studievag.effect_chain.urls")),
    path("", include("studievag.plans.urls")),
    path("", include("studievag.intake.urls")),
    path("", include("studievag.support.urls")),
    path("", include("studievag.progress.urls")),
    path("handovers/", include("studievag.handover.urls")),
    path("", include("studievag.outcomes.urls")),
    path("", include("studievag.interop.urls")),
    path("", include("studievag.surveys.urls")),
    path("api/v1/", include("studievag.api.urls")),
    path("integrations/", include("studievag.api.pages_urls")),
    path("admin/", admin.site.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
