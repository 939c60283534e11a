"""Organiser-level settings and plans for education in the admin site.

Students' plans are individual records and are not in the admin site: they
are read and changed only through the plan pages, which log reads and keep
every revision.
"""

from django.contrib import admin

from .models import EducationPlan, PlanSettings


@admin.register(PlanSettings)
class PlanSettingsAdmin(admin.ModelAdmin):
    list_display = ["organiser", "review_interval_days", "plan_deadline_weeks"]


@admin.register(EducationPlan)
class EducationPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser", "programme", "version", "valid_from"]
    list_filter = ["organiser", "programme"]
    readonly_fields = ["created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A saved version is never changed: a change is a new version (a new row).
        if obj is not None:
            return [f.name for f in EducationPlan._meta.fields if f.name != "id"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
