from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Studieväg"
admin.site.site_title = "Studieväg"

urlpatterns = [
    path("", include("studievag.core.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("studievag.people.urls")),
    path("", include("studievag.audit.urls")),
    path("", include("studievag.organisations.urls")),
    path("quality/", include("studievag.quality.urls")),
    path("admin/", admin.site.urls),
]
