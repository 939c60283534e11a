"""Writes of the effect chain area. Each checks that the acting user may change the
chain, saves, and writes a :class:`~.models.ChainEvent` row (the chain's history)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.organisations.models import Organiser, Region, StaffTraining
from studievag.organisations.services import staff_training_record
from studievag.plans.models import EducationPlan
from studievag.quality.indicators import available

from .models import (
    ChainEvent,
    ChainNode,
    DevelopmentNote,
    EffectChain,
    IndicatorLink,
    Target,
    level_above,
)
from .selectors import chain_figures, chain_scope, figures_visible, may_edit


def _event(chain: EffectChain, user, action: str, summary: str) -> None:
    ChainEvent.objects.create(chain=chain, user=user, action=action, summary=summary[:300])


def _require_edit(user, chain: EffectChain) -> None:
    if not may_edit(user, chain):
        raise PermissionDenied


@transaction.atomic
def chain_create(
    *,
    acting_user,
    title: str,
    description: str = "",
    organiser: Organiser | None = None,
    region: Region | None = None,
    education_plan: EducationPlan | None = None,
    regional_chain: EffectChain | None = None,
) -> EffectChain:
    """A new chain for an organiser (analysts) or a region (regional coordinators)."""
    scope = chain_scope(acting_user)
    if (organiser is None) == (region is None):
        raise ValidationError(_("A chain belongs to one organiser or one region."))
    if organiser is not None and organiser.pk not in scope.edit_organisers:
        raise PermissionDenied
    if region is not None and region.pk not in scope.edit_regions:
        raise PermissionDenied
    chain = EffectChain(
        title=(title or "").strip(),
        description=description,
        organiser=organiser,
        region=region,
        education_plan=education_plan,
        regional_chain=regional_chain,
        created_by=acting_user,
    )
    chain.full_clean()
    chain.save()
    _event(chain, acting_user, "created", chain.title)
    return chain


@transaction.atomic
def chain_update(
    *,
    acting_user,
    chain: EffectChain,
    title: str,
    description: str,
    education_plan: EducationPlan | None,
    regional_chain: EffectChain | None,
) -> EffectChain:
    _require_edit(acting_user, chain)
    before = (chain.title, chain.education_plan_id, chain.regional_chain_id)
    chain.title = (title or "").strip()
    chain.description = description
    chain.education_plan = education_plan
    chain.regional_chain = regional_chain
    chain.full_clean()
    chain.save()
    changes = []
    if before[0] != chain.title:
        changes.append(_("title"))
    if before[1] != chain.education_plan_id:
        changes.append(_("plan for education: %(p)s") % {"p": education_plan or "–"})
    if before[2] != chain.regional_chain_id:
        changes.append(_("regional chain: %(c)s") % {"c": regional_chain or "–"})
    _event(chain, acting_user, "changed", ", ".join(changes) or _("description"))
    return chain


@transaction.atomic
def node_create(
    *,
    acting_user,
    chain: EffectChain,
    level: str,
    title: str,
    owner: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    description: str = "",
    leads_to: Sequence[ChainNode] = (),
    regional_node: ChainNode | None = None,
) -> ChainNode:
    _require_edit(acting_user, chain)
    above = level_above(level)
    for target in leads_to:
        if target.chain_id != chain.pk or target.level != above:
            raise ValidationError(
                {"leads_to": _("A node leads to nodes on the level just above it, in the same chain.")}
            )
    if regional_node is not None and (
        chain.regional_chain_id is None or regional_node.chain_id != chain.regional_chain_id
    ):
        raise ValidationError({"regional_node": _("Choose a node of the regional chain this chain contributes to.")})
    node = ChainNode(
        chain=chain,
        level=level,
        title=(title or "").strip(),
        owner=(owner or "").strip(),
        start_date=start_date,
        end_date=end_date,
        description=description,
        regional_node=regional_node,
    )
    node.full_clean()
    node.save()
    node.leads_to.set(leads_to)
    _event(chain, acting_user, "node_added", f"{node.get_level_display()}: {node.title}")
    return node


@transaction.atomic
def node_update(
    *,
    acting_user,
    node: ChainNode,
    title: str,
    owner: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    description: str = "",
    leads_to: Sequence[ChainNode] = (),
    regional_node: ChainNode | None = None,
    level: str | None = None,
) -> ChainNode:
    """Change a node's text, owner, dates and links (its level stays: its indicators and
    the nodes that lead to it depend on it)."""
    chain = node.chain
    _require_edit(acting_user, chain)
    above = level_above(node.level)
    for target in leads_to:
        if target.chain_id != chain.pk or target.level != above:
            raise ValidationError(
                {"leads_to": _("A node leads to nodes on the level just above it, in the same chain.")}
            )
    if regional_node is not None and (
        chain.regional_chain_id is None or regional_node.chain_id != chain.regional_chain_id
    ):
        raise ValidationError({"regional_node": _("Choose a node of the regional chain this chain contributes to.")})
    node.title = (title or "").strip()
    node.owner = (owner or "").strip()
    node.start_date = start_date
    node.end_date = end_date
    node.description = description
    node.regional_node = regional_node
    node.full_clean()
    node.save()
    node.leads_to.set(leads_to)
    _event(chain, acting_user, "node_changed", f"{node.get_level_display()}: {node.title}")
    return node


@transaction.atomic
def indicator_link(
    *,
    acting_user,
    node: ChainNode,
    indicator: str,
    direction: str,
    on: datetime.date | None = None,
) -> IndicatorLink:
    """Link an indicator to a node; its baseline is the chain level's figure of the term
    containing ``on`` (today), as shown on the report pages: a hidden figure gives a
    hidden baseline, never the number behind it."""
    chain = node.chain
    _require_edit(acting_user, chain)
    known = available()
    if indicator not in known or known[indicator].missing is not None:
        raise ValidationError({"indicator": _("Choose an indicator the follow-up counts.")})
    if IndicatorLink.objects.filter(node=node, indicator=indicator).exists():
        raise ValidationError({"indicator": _("The indicator is already linked to this node.")})
    if not figures_visible(acting_user, chain):
        raise PermissionDenied
    on = on or timezone.localdate()
    period, figures = chain_figures(chain, [indicator], user=acting_user, on=on)
    figure = figures[indicator]
    shown = not (figure.hidden or figure.missing) and figure.value is not None
    link = IndicatorLink.objects.create(
        node=node,
        indicator=indicator,
        direction=direction,
        baseline_on=on,
        baseline_period=period.code,
        baseline_text=figure.text,
        baseline_value=figure.value if shown else None,
        linked_by=acting_user,
    )
    _event(chain, acting_user, "indicator_linked", f"{node.title}: {known[indicator].name} ({figure.text})")
    return link


@transaction.atomic
def target_set(*, acting_user, link: IndicatorLink, checkpoint: datetime.date, value: Decimal) -> Target:
    """Set (or change) the target for a checkpoint date."""
    chain = link.node.chain
    _require_edit(acting_user, chain)
    if checkpoint <= link.baseline_on:
        raise ValidationError({"checkpoint": _("A checkpoint comes after the baseline was taken.")})
    indicator = available().get(link.indicator)
    if indicator is not None and indicator.unit == "%" and not (0 <= value <= 100):
        raise ValidationError({"value": _("A share lies between 0 and 100.")})
    target, _created = Target.objects.update_or_create(link=link, checkpoint=checkpoint, defaults={"value": value})
    name = indicator.name if indicator is not None else link.indicator
    _event(chain, acting_user, "target_set", f"{name}: {checkpoint:%Y-%m-%d} → {value}")
    return target


@transaction.atomic
def target_remove(*, acting_user, target: Target) -> None:
    chain = target.link.node.chain
    _require_edit(acting_user, chain)
    indicator = available().get(target.link.indicator)
    name = indicator.name if indicator is not None else target.link.indicator
    _event(chain, acting_user, "target_removed", f"{name}: {target.checkpoint:%Y-%m-%d} –")
    target.delete()


@transaction.atomic
def note_create(
    *, acting_user, chain: EffectChain, kind: str, theme: str, written_on: datetime.date, text: str
) -> DevelopmentNote:
    _require_edit(acting_user, chain)
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": _("The date cannot be in the future.")})
    note = DevelopmentNote(
        chain=chain, kind=kind, theme=theme, written_on=written_on, text=(text or "").strip(), author=acting_user
    )
    note.full_clean()
    note.save()
    _event(chain, acting_user, "note_added", f"{note.get_kind_display()}: {note.get_theme_display()}")
    return note


@transaction.atomic
def staff_development_record(
    *,
    acting_user,
    person,
    organiser: Organiser,
    topic: str,
    title: str,
    completed_on: datetime.date,
    provider: str = "",
    allowed_people,
) -> StaffTraining:
    """Record a completed training for a member of staff the acting user may record for
    (``allowed_people``: the queryset from :func:`.selectors` that the page offered)."""
    if not allowed_people.filter(pk=person.pk).exists():
        raise PermissionDenied
    return staff_training_record(
        acting_user=acting_user,
        person=person,
        organiser=organiser,
        topic=topic,
        title=title,
        completed_on=completed_on,
        provider=provider,
    )
