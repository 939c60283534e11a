"""A report's figure cell, rendered in Python: a page shows hundreds of them, and an
``{% include %}`` per cell (with its own URL lookup) cost a national page tens of milliseconds."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def figure_cell(context, figure, table):
    """The link to the indicator's definition: the figure's text, why it is not shown, and the
    base of a share in brackets. The indicator's definition page is looked up once per table."""
    urls = context.render_context.setdefault("quality_figure_urls", {})
    indicator = table.indicator
    url = urls.get(indicator.id)
    if url is None:
        url = urls[indicator.id] = reverse("quality:indicator_detail", args=[indicator.id])
    css = "fig fig-hidden" if figure.hidden else "fig fig-missing" if figure.missing else "fig"
    title = _("Too few students to show") if figure.hidden else _("Data missing") if figure.missing else ""
    base = ""
    if figure.base and indicator.unit == "%" and not figure.hidden:
        base = format_html(' <span class="base">({})</span>', figure.base)
    if title:
        return format_html('<a class="{}" href="{}" title="{}">{}{}</a>', css, url, title, figure.text, base)
    return format_html('<a class="{}" href="{}">{}{}</a>', css, url, figure.text, base)
