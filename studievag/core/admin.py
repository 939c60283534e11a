from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SignOnIdentity


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(SimpleHistoryAdmin):
    """Which eduPersonPrincipalName signs in as which account (SAML sign-on), with history.

    The system administrator (whom the site lets in) links and unlinks them, as they
    manage the accounts themselves; linking gives no role.
    """

    list_display = ("principal_name", "user", "created_at")
    search_fields = ("principal_name", "user__username", "user__email", "user__last_name")
    raw_id_fields = ("user",)

    def has_module_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)
