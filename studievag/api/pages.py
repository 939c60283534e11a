"""The administrator's pages for integrations: create one, issue a token (shown once), revoke.

The integration's roles are given where every account's are (the organisation set-up's
role assignments, through ``access/services.py``): a role that reaches records waits for
the unit's principal, as for a person.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studievag.access.decorators import require_action
from studievag.access.models import RoleAssignment
from studievag.form_errors import errors_to_form

from . import services
from .forms import IntegrationForm, RevokeForm, TokenForm
from .models import Integration, IntegrationEvent, IntegrationToken

MANAGE = "api.manage"


@require_action(MANAGE)
def integration_list(request):
    integrations = list(Integration.objects.select_related("organiser", "account").prefetch_related("tokens"))
    roles = RoleAssignment.objects.filter(user__in=[i.account for i in integrations]).select_related(
        "region", "organiser", "school_unit", "group"
    )
    by_account: dict[int, list[RoleAssignment]] = {}
    for role in roles:
        by_account.setdefault(role.user_id, []).append(role)
    today = timezone.localdate()
    for integration in integrations:
        integration.role_list = by_account.get(integration.account_id, [])
        for token in integration.tokens.all():
            token.valid = token.is_valid_on(today)
    form = IntegrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            integration = services.integration_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The integration was created: give its account a role, then issue a token."))
            return redirect(reverse("integrations:list") + f"#integration-{integration.pk}")
    return render(
        request,
        "api/integrations.html",
        {
            "integrations": integrations,
            "form": form,
            "events": IntegrationEvent.objects.select_related("integration")[:30],
            "revoke_form": RevokeForm(),
        },
    )


@require_action(MANAGE)
def token_issue(request, pk: int):
    integration = get_object_or_404(Integration, pk=pk)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row, token = services.token_issue(
                acting_user=request.user,
                integration=integration,
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            # Shown on this answer only: never stored, never in a message or a redirect.
            return render(request, "api/token_issued.html", {"integration": integration, "row": row, "token": token})
    return render(request, "api/token_form.html", {"integration": integration, "form": form})


@require_POST
@require_action(MANAGE)
def token_revoke(request, pk: int):
    token = get_object_or_404(IntegrationToken.objects.select_related("integration"), pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        services.token_revoke(acting_user=request.user, token=token, reason=form.cleaned_data["reason"])
        messages.success(request, _("The token was revoked: calls with it are refused from now on."))
    else:
        messages.error(request, _("Say why the token is revoked."))
    return redirect(reverse("integrations:list") + f"#integration-{token.integration_id}")
