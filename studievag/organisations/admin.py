from django.contrib import admin

from .models import Organiser, Programme, Region, SchoolUnit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Organiser)
class OrganiserAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "organisation_number"]


@admin.register(SchoolUnit)
class SchoolUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organiser", "school_type", "municipality"]
    list_filter = ["school_type", "organiser"]
    search_fields = ["name", "code"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "successor"]
