"""SAML sign-on pages: choosing one's organisation, the request, the answer, the metadata.

Every page answers 404 while SAML sign-on is off. A refused log-in gets a page that
says so plainly and one line in the security log (``studievag.security``).
"""

from functools import wraps

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET
from djangosaml2 import views as saml_views

from studievag.audit.services import client_address

from .saml import Refusal, identity_providers, idp_allowed, match_account, security_log, sp_config

BACKEND = "studievag.core.saml.StudievagSaml2Backend"


def saml_on(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.SAML_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@require_GET
@saml_on
def choose(request):
    """The organisation / identity provider to log in through (discovery), with a search."""
    providers = identity_providers(sp_config(request), request.LANGUAGE_CODE)
    query = request.GET.get("q", "").strip()[:100]
    shown = [idp for idp in providers if query.casefold() in idp.name.casefold()] if query else providers
    next_url = _next(request)
    login = reverse("saml:login")
    links = [
        (idp, f"{login}?{urlencode({'idp': idp.entity_id, **({'next': next_url} if next_url else {})})}")
        for idp in shown
    ]
    return render(
        request,
        "core/saml_choose.html",
        {"links": links, "query": query, "next": next_url, "any_provider": bool(providers)},
    )


def refused(request, reason: str, *, kind: str, idp: str = "", principal: str = "", status: int = 403):
    """The refusal page (``kind``: account, answer or provider) and one security log line."""
    security_log.warning(
        "SAML log-in refused: %s (identity provider %s, person %r, address %s)",
        reason,
        idp or "-",
        principal[:255],
        client_address(request),
    )
    return render(
        request,
        "core/saml_refused.html",
        {"kind": kind, "principal": principal if kind == "account" else ""},
        status=status,
    )


@method_decorator(saml_on, name="dispatch")
class LoginView(saml_views.LoginView):
    """Sends the browser to the chosen identity provider with a signed request."""

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return HttpResponseRedirect(_next(request) or reverse("core:home"))
        idp = request.GET.get("idp", "")
        if not idp:
            return HttpResponseRedirect(f"{reverse('saml:choose')}?{request.GET.urlencode()}")
        if not idp_allowed(self.get_sp_config(request), idp):
            return refused(request, "unknown identity provider", kind="provider", idp=idp[:255], status=404)
        return super().get(request, *args, **kwargs)


@method_decorator([saml_on, transaction.non_atomic_requests], name="dispatch")
class AssertionConsumerServiceView(saml_views.AssertionConsumerServiceView):
    """Receives the identity provider's answer: verified by pysaml2 (signature, audience,
    validity, that this browser asked for it, once), then matched to an account."""

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        session_info = kwargs.get("session_info") or {}
        if isinstance(exception, Refusal):
            reason, principal, kind = exception.reason, exception.principal, "account"
        else:
            reason = f"the answer did not verify ({type(exception).__name__}: {str(exception)[:200]})"
            principal, kind = "", "answer"
        return refused(request, reason, kind=kind, idp=session_info.get("issuer", ""), principal=principal)

    def authenticate_user(self, request, session_info, attribute_mapping, create_unknown_user, assertion_info):
        # Matched here rather than through django.contrib.auth.authenticate, so that a
        # refused sign-on is not counted as a wrong password (django-axes would lock out
        # a school's shared address after a few people without an account tried).
        user = match_account(self.get_sp_config(request).metadata, session_info["issuer"], session_info["ava"])
        auth.login(request, user, backend=BACKEND)
        saml_views._set_subject_id(request.saml_session, session_info["name_id"])
        units = ", ".join(session_info["ava"].get("sisSchoolUnitCode", [])[:20]) or "-"
        security_log.info(
            "SAML log-in: account %s through identity provider %s (school units %s, address %s)",
            user.pk,
            session_info["issuer"],
            units,
            client_address(request),
        )
        return user


@method_decorator(saml_on, name="dispatch")
class MetadataView(saml_views.MetadataView):
    """This service's SAML metadata, at a stable address for the federation to register."""
