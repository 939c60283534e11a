from django.contrib import admin

from .models import StudentGroup


@admin.register(StudentGroup)
class StudentGroupAdmin(admin.ModelAdmin):
    """Groups are set up here; who is in them is student data, kept out of the admin."""

    list_display = ["name", "kind", "school_unit"]
    list_filter = ["kind", "school_unit"]
    search_fields = ["name"]
