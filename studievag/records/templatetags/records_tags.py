"""Names of record parts and roles for the read-log pages (the read log itself stores keys)."""

from django import template

from studievag.access.models import Role
from studievag.access.policy import part_label

register = template.Library()


@register.filter
def part_name(key: str) -> str:
    return part_label(key)


@register.filter
def role_names(keys: str) -> str:
    """``"mentor,principal"`` → ``"Mentor, Principal"`` in the reader's language."""
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(r, r)) for r in keys.split(",") if r)
