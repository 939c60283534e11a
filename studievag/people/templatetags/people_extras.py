from django import template
from django.utils.html import format_html

from studievag.people.languages import language_name

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    """The name of a language from its ISO 639 code, in the current language."""
    return language_name(code)


@register.filter
def bdi(value) -> str:
    """A name or other entered text isolated in a sentence of another direction
    (a Swedish school name in an Arabic sentence): ``<bdi>…</bdi>``, escaped."""
    return format_html("<bdi>{}</bdi>", value)
