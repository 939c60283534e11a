"""View decorators that ask the policy; a denied page is a 403, never a partial page."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .policy import may


def require_action(action: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.studievag_action = action  # type: ignore[attr-defined]  # read by the access-matrix test
        return wrapped

    return decorator
