from django.contrib import admin

from .models import Course, Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "school_type", "organiser"]
    list_filter = ["school_type"]
    search_fields = ["name", "code"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "school_type", "points", "organiser"]
    list_filter = ["school_type"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["subject"]
