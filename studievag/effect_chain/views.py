from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.decorators import require_action
from studievag.form_errors import errors_to_form
from studievag.quality.reports import LEGEND

from . import exports, selectors, services
from .forms import ChainForm, LinkForm, NodeForm, NoteForm, NoteSearchForm, StaffTrainingForm, TargetForm
from .models import Target


@require_action("effect_chain.view")
def chain_list(request):
    """The chains this user may read; analysts and coordinators start one for their own level."""
    scope = selectors.chain_scope(request.user)
    may_create = bool(scope.edit_organisers or scope.edit_regions)
    form = ChainForm(request.POST or None, scope=scope) if may_create else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                chain = services.chain_create(
                    acting_user=request.user,
                    title=data["title"],
                    description=data["description"],
                    education_plan=data.get("education_plan"),
                    regional_chain=data.get("regional_chain"),
                    **form.owner_objects(),
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The effect chain was created."))
                return redirect("effect_chain:chain_detail", pk=chain.pk)
    chains = list(selectors.chains_for(request.user))
    return render(request, "effect_chain/chain_list.html", {"chains": chains, "form": form})


@require_action("effect_chain.view")
def chain_detail(request, pk: int):
    chain = selectors.chain_for_view(request.user, pk)
    view = selectors.chain_view(request.user, chain)
    return render(
        request,
        "effect_chain/chain_detail.html",
        {
            "view": view,
            "chain": chain,
            "may_edit": selectors.may_edit(request.user, chain),
            "organiser_chains": list(chain.organiser_chains.select_related("organiser")),
            "notes": list(selectors.notes_for(request.user, chain_id=chain.pk)[:10]),
            "events": list(chain.events.select_related("user")[:10]),
            "legend": LEGEND,
            "note_form": NoteForm(initial={"written_on": timezone.localdate()}),
        },
    )


@require_action("effect_chain.edit")
def chain_edit(request, pk: int):
    chain = selectors.chain_for_edit(request.user, pk)
    scope = selectors.chain_scope(request.user)
    initial = {
        "title": chain.title,
        "description": chain.description,
        "education_plan": chain.education_plan_id,
        "regional_chain": chain.regional_chain_id,
    }
    form = ChainForm(request.POST or None, scope=scope, chain=chain, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.chain_update(
                acting_user=request.user,
                chain=chain,
                title=data["title"],
                description=data["description"],
                education_plan=data.get("education_plan"),
                regional_chain=data.get("regional_chain"),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The effect chain was saved."))
            return redirect("effect_chain:chain_detail", pk=chain.pk)
    return render(request, "effect_chain/form.html", {"chain": chain, "form": form, "heading": _("Change the chain")})


@require_action("effect_chain.edit")
def node_create(request, pk: int):
    chain = selectors.chain_for_edit(request.user, pk)
    initial = {"start_date": timezone.localdate(), "level": request.GET.get("level", "")}
    form = NodeForm(request.POST or None, chain=chain, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.node_create(acting_user=request.user, chain=chain, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The node was added."))
            return redirect("effect_chain:chain_detail", pk=chain.pk)
    return render(request, "effect_chain/form.html", {"chain": chain, "form": form, "heading": _("Add a node")})


@require_action("effect_chain.edit")
def node_edit(request, pk: int):
    node = selectors.node_for_edit(request.user, pk)
    chain = node.chain
    initial = {
        "level": node.level,
        "title": node.title,
        "description": node.description,
        "owner": node.owner,
        "start_date": node.start_date,
        "end_date": node.end_date,
        "leads_to": list(node.leads_to.values_list("pk", flat=True)),
        "regional_node": node.regional_node_id,
    }
    form = NodeForm(request.POST or None, chain=chain, initial=initial, fixed_level=node.level)
    if request.method == "POST" and form.is_valid():
        try:
            services.node_update(acting_user=request.user, node=node, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The node was saved."))
            return redirect(f"{chain.get_absolute_url()}#node-{node.pk}")
    return render(
        request,
        "effect_chain/form.html",
        {"chain": chain, "form": form, "heading": _("Change “%(node)s”") % {"node": node.title}},
    )


@require_action("effect_chain.edit")
def link_create(request, pk: int):
    node = selectors.node_for_edit(request.user, pk)
    chain = node.chain
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.indicator_link(acting_user=request.user, node=node, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The indicator was linked; its baseline is %(figure)s (%(period)s).")
                % {"figure": link.baseline_text, "period": link.baseline_period},
            )
            return redirect("effect_chain:target_set", pk=link.pk)
    return render(
        request,
        "effect_chain/form.html",
        {
            "chain": chain,
            "form": form,
            "heading": _("Link an indicator to “%(node)s”") % {"node": node.title},
            "lead": _(
                "The baseline is taken from the figures of today, for the chain's level, as the "
                "quality reports show them."
            ),
        },
    )


@require_action("effect_chain.edit")
def target_set(request, pk: int):
    link = selectors.link_for_edit(request.user, pk)
    chain = link.node.chain
    form = TargetForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        target = Target.objects.filter(link=link, pk=request.POST["remove"]).first()
        if target is None:
            raise Http404
        services.target_remove(acting_user=request.user, target=target)
        messages.success(request, _("The target was removed."))
        return redirect("effect_chain:target_set", pk=link.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(acting_user=request.user, link=link, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("effect_chain:target_set", pk=link.pk)
    view = selectors.chain_view(request.user, chain)
    current = next((lv for lv in view.links if lv.link.pk == link.pk), None)
    return render(request, "effect_chain/targets.html", {"chain": chain, "link": link, "form": form, "lv": current})


@require_action("effect_chain.edit")
def note_create(request, pk: int):
    chain = selectors.chain_for_edit(request.user, pk)
    form = NoteForm(request.POST or None, initial={"written_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.note_create(acting_user=request.user, chain=chain, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The note was saved."))
            return redirect("effect_chain:chain_detail", pk=chain.pk)
    return render(
        request, "effect_chain/form.html", {"chain": chain, "form": form, "heading": _("Write a development note")}
    )


@require_action("effect_chain.view")
def notes(request):
    """Search the development notes and assessments of every chain the user may read."""
    search = NoteSearchForm(request.GET or None)
    q = theme = kind = ""
    if search.is_valid():
        q, theme, kind = search.cleaned_data["q"], search.cleaned_data["theme"], search.cleaned_data["kind"]
    results = list(selectors.notes_for(request.user, query=q, theme=theme, kind=kind)[:100])
    return render(request, "effect_chain/notes.html", {"search": search, "results": results, "q": q})


@require_action("effect_chain.view")
def board_report(request, pk: int, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    chain = selectors.chain_for_view(request.user, pk)
    view = selectors.chain_view(request.user, chain)
    notes = list(selectors.notes_for(request.user, chain_id=chain.pk)[:50])
    return exports.FORMATS[fmt](request, view, notes)


@require_action("effect_chain.staff_development")
def staff_development(request):
    """Record staff development (the data of the staff-training indicators) and list it."""
    people = selectors.staff_people(request.user)
    organisers = selectors.staff_development_organisers(request.user)
    form = StaffTrainingForm(request.POST or None, people=people, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_development_record(acting_user=request.user, allowed_people=people, **data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The training was recorded."))
            return redirect("effect_chain:staff_development")
    trainings = list(selectors.trainings_for(request.user)[:200])
    return render(
        request, "effect_chain/staff_development.html", {"form": form, "trainings": trainings, "people": people}
    )
