"""The REST framework's hooks: the token, the scope-and-role check, problem details, throttles.

* :class:`IntegrationTokenAuthentication`: ``Authorization: Bearer svi_…``; an
  unknown, revoked or expired token is a 401.
* :class:`ScopeAndRole`: the endpoint's scope on the token (403 without it) and
  the engine's action for the service account (403 without a role that allows it).

Errors are answered as problem details by :mod:`.problems`.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from studievag.access.policy import may

from .models import IntegrationToken
from .permissions import BAD_TOKEN, ENDPOINTS, NO_TOKEN
from .services import token_check


class IntegrationTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(str(NO_TOKEN))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(str(BAD_TOKEN)) from None
        token = token_check(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(str(BAD_TOKEN))
        # The read log names the integration beside its account (audit.services).
        request._request.studievag_via = token.integration.name
        return token.integration.account, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="studievag"'


class ScopeAndRole(BasePermission):
    """The view's ``endpoint`` (a key of ``permissions.ENDPOINTS``) decides scope and action."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, IntegrationToken):
            raise exceptions.NotAuthenticated(str(NO_TOKEN))
        scopes, action = ENDPOINTS[view.endpoint]
        if not set(scopes) & set(token.scopes):
            raise exceptions.PermissionDenied(
                _("The token lacks the scope this endpoint needs: %(scopes)s.") % {"scopes": " or ".join(scopes)}
            )
        if not may(request.user, action):
            raise exceptions.PermissionDenied(
                _("The integration's account holds no role that allows this (ask the administrator for one).")
            )
        return True


class PerTokenThrottle(SimpleRateThrottle):
    """Calls per token (``DEFAULT_THROTTLE_RATES["integration"]``); bursts beyond get 429."""

    scope = "integration"

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, IntegrationToken):
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"token-{token.pk}"}
