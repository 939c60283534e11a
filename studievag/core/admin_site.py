"""Django's admin, used for organisation set-up and accounts, behind the access policy."""

from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from studievag.access.policy import may


class StudievagAdminSite(admin.AdminSite):
    site_header = "Studieväg"
    site_title = "Studieväg"

    def has_permission(self, request) -> bool:

        user = request.user
        return user.is_active and user.is_staff and may(user, "organisation.admin")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            # Signed in but not an administrator: a plain 403, not the admin's login page.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)
