"""Small cross-cutting middleware."""

from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Every asset is served by the application itself: say so to the browser.

    No inline scripts, no third-party hosts. Django's admin needs inline
    styles, so style-src allows them.
    """

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class SwedishFirstMiddleware:
    """Swedish unless the person has chosen otherwise.

    Staff work in Swedish, so the browser's Accept-Language header does not
    decide: the language cookie (set by the language menu, or at log-in from a
    guardian's recorded preferred language) does. Goes before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and exports for a signed-in person are never kept by a browser or proxy.

    Nearly every page after log-in shows personal data about children; a shared
    school computer's back button or disk cache must not show it to the next
    person. Static files and the log-in page are not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
