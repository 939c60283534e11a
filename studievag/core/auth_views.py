"""Log-in that opens the family pages in the family's own language."""

from django.conf import settings
from django.contrib.auth import views as auth_views


def preferred_language(user) -> str | None:
    """A guardian's recorded preferred language, if the family pages speak it."""
    guardian = getattr(user, "guardian", None)
    code = getattr(guardian, "preferred_language", "") if guardian else ""
    return code if code in settings.FAMILY_LANGUAGES else None


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.OIDC_ENABLED}

    def form_valid(self, form):
        response = super().form_valid(form)
        language = preferred_language(form.get_user())
        if language and settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                samesite="Lax",
                max_age=365 * 24 * 60 * 60,
            )
        return response
