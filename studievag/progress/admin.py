from django.contrib import admin

from studievag.scales.models import ProgressionScale, ProgressionStep

from .models import FollowUpSettings


class StepInline(admin.TabularInline):
    model = ProgressionStep
    extra = 0


@admin.register(ProgressionScale)
class ProgressionScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "organiser", "is_generic"]
    list_filter = ["organiser", "is_generic"]
    inlines = [StepInline]


@admin.register(FollowUpSettings)
class FollowUpSettingsAdmin(admin.ModelAdmin):
    list_display = ["organiser", "behind_steps", "far_behind_steps", "attendance_percent"]
