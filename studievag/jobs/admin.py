from django.contrib import admin

from .models import JobRun, JobRunEvent


class EventInline(admin.TabularInline):
    model = JobRunEvent
    extra = 0
    can_delete = False
    fields = ["at", "level", "item", "message", "count", "milliseconds"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Every background job run: what it did, how long it took, what failed."""

    list_display = ["name", "status", "started_at", "finished_at", "items_total", "items_done", "items_failed"]
    list_filter = ["name", "status"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in JobRun._meta.fields]
    inlines = [EventInline]

    # Read-only for whoever the site lets in (the system administrator): the
    # runs hold counts and period codes, no one's personal data.
    def has_module_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
