from django.contrib import admin

from .models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Staff roles by scope. The per-student mentor scope is set from the student's
    school, not here: the admin sees no student data."""

    list_display = ["user", "role", "region", "organiser", "school_unit", "group", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    exclude = ["student"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "region", "organiser", "school_unit", "group"]
