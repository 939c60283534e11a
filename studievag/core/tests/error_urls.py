"""The real URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import urlpatterns as real_urlpatterns

SECRET_DETAIL = "password=hunter2 at db.internal:5432"


def forbidden(request):
    raise PermissionDenied(f"Internal reason: {SECRET_DETAIL}")


def crash(request):
    raise RuntimeError(f"Database exploded: {SECRET_DETAIL}")


urlpatterns = [
    path("test-errors/forbidden/", forbidden),
    path("test-errors/crash/", crash),
    *real_urlpatterns,
]
