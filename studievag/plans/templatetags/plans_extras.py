from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

CHANGE_LABELS = {
    "added": _("Added"),
    "removed": _("Removed"),
    "changed": _("Changed"),
    "same": _("Unchanged"),
}
COLUMN_LABELS = {
    "term": _("Term / when"),
    "kind": _("Kind"),
    "title": _("Goal"),
    "target_date": _("Target date"),
    "status": _("Status"),
    "school_type": _("Level"),
    "code": _("Code"),
    "name": _("Name"),
    "workplace": _("Workplace"),
    "start_date": _("From"),
    "end_date": _("Until"),
    "supervisor": _("Supervisor"),
    "tasks": _("Tasks"),
}


@register.filter
def change_label(kind: str) -> str:
    return CHANGE_LABELS.get(kind, kind)


@register.filter
def column_label(name: str) -> str:
    return COLUMN_LABELS.get(name, name)
