from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SignOnIdentity


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(SimpleHistoryAdmin):
    list_display = ("principal_name", "user", "created_at")
    search_fields = ("principal_name", "user__username", "user__email", "user__last_name")
    raw_id_fields = ("user",)
