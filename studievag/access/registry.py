"""Collects every area's declared rules into one table the engine reads.

Each installed app may have a ``permissions`` module with ``RULES`` (an
:class:`~studievag.access.declarations.AreaRules`). The table is built once,
on first use, after Django has loaded its apps; two areas declaring the same
key is a configuration error, raised at once.
"""

import functools
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from .declarations import Abilities, AreaRules, RecordPart


@dataclass(frozen=True)
class Registry:
    parts: dict[str, RecordPart]
    actions: dict[str, frozenset[str]]
    abilities: dict[str, Abilities]
    parts_by_role: dict[str, frozenset[str]]

    def roles_for(self, action: str) -> frozenset[str]:
        try:
            return self.actions[action]
        except KeyError:
            raise ImproperlyConfigured(f"No area declares the action {action!r}.") from None

    def part(self, key: str) -> RecordPart:
        try:
            return self.parts[key]
        except KeyError:
            raise ImproperlyConfigured(f"No area declares the record part {key!r}.") from None


def _area_rules() -> list[tuple[str, AreaRules]]:
    found = []
    for config in apps.get_app_configs():
        # Only our own areas: a third-party app may have a ``permissions`` module of its own
        # (the REST framework's permission classes) that declares nothing for this engine.
        if not config.name.startswith("studievag."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as error:
            if error.name == f"{config.name}.permissions":
                continue
            raise
        rules = getattr(module, "RULES", None)
        if not isinstance(rules, AreaRules):
            raise ImproperlyConfigured(f"{config.name}.permissions must define RULES = AreaRules(...).")
        found.append((config.name, rules))
    return found


def _unique(kind: str, key: str, seen: dict[str, str], area: str) -> None:
    if key in seen:
        raise ImproperlyConfigured(f"The {kind} {key!r} is declared by both {seen[key]} and {area}.")
    seen[key] = area


@functools.cache
def registry() -> Registry:
    parts: dict[str, RecordPart] = {}
    actions: dict[str, frozenset[str]] = {}
    abilities: dict[str, Abilities] = {}
    owners: dict[str, str] = {}
    for area, rules in _area_rules():
        for part in rules.parts:
            _unique("record part", part.key, owners, area)
            parts[part.key] = part
        for action in rules.actions:
            _unique("action", action.key, owners, area)
            actions[action.key] = action.roles
        for ability in rules.abilities:
            _unique("ability kind", "abilities:" + ability.kind, owners, area)
            abilities[ability.kind] = ability
    by_role: dict[str, set[str]] = {}
    for part in parts.values():
        for role in part.roles:
            by_role.setdefault(role, set()).add(part.key)
    return Registry(
        parts=parts,
        actions=actions,
        abilities=abilities,
        parts_by_role={role: frozenset(keys) for role, keys in by_role.items()},
    )
