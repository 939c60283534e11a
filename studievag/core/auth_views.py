"""Log-in: opens the family pages in the family's own language; throttled by django-axes."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import render
from django.utils.decorators import method_decorator

from studievag.audit.services import client_address

security_log = logging.getLogger("studievag.security")


def preferred_language(user) -> str | None:
    """A guardian's recorded preferred language, if the family pages speak it."""
    guardian = getattr(user, "guardian", None)
    code = getattr(guardian, "preferred_language", "") if guardian else ""
    return code if code in settings.FAMILY_LANGUAGES else None


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class LoginView(auth_views.LoginView):
    """Outside the request-wide transaction: checking a password takes a deliberate
    fraction of a second, and on SQLite a transaction holds the write lock for all of
    it; the few writes (session, failed-attempt count) commit on their own."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": settings.OIDC_ENABLED,
            "saml_enabled": settings.SAML_ENABLED,
        }

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


def client_ip(request) -> str | None:
    """The address log-in throttling counts by: the same one the read log records."""
    return client_address(request)


def locked_out(request, original_response=None, credentials=None):
    """Too many wrong passwords for this account or from this address: say so plainly, log it."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    security_log.warning(
        "Log-in locked out: account %r from address %s after %s failed attempts",
        username[:150],
        client_address(request),
        settings.AXES_FAILURE_LIMIT,
    )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "core/locked_out.html",
        {"minutes": minutes, "family_languages": settings.FAMILY_LANGUAGES},
        status=429,
    )
