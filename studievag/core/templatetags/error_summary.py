"""``{% error_summary %}``: the errors of the page's forms, listed at the top of the page.

The page frame (``base.html``) calls it once; it finds every bound, validated form and
formset in the page's context (see :func:`studievag.form_errors.summary_errors`).
"""

from django import template

from studievag.form_errors import summary_errors

register = template.Library()


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    errors = summary_errors(context.flatten().values())
    return {"errors": errors, "count": len(errors)}
