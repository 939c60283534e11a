from django import template

from studievag.people.languages import language_name

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    """The name of a language from its ISO 639 code, in the current language."""
    return language_name(code)
