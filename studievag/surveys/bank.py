"""The item bank: every question a wave can ask, each defined once, here.

An item is identified by its key *and* its version (``ref``: ``safety_safe_v1``).
Changing what an item asks – its wording in the source language, its scale or
its theme – makes a new version; the old one stays in the bank so earlier
waves keep their questions. Results are compared between waves only for the
same ref (see :func:`comparable`).

The texts are English source strings marked for translation: Swedish and
Arabic live in this area's catalogues (``surveys/locale/``); another language
is one more catalogue. ``tests/test_bank.py`` fails when a catalogue misses
an item.

The scale follows the Swedish Schools Inspectorate's school survey
(Skolenkäten): four steps from "Completely true" to "Not true at all" and
"Don't know"; the favourable answers are the two upper steps. A four-step
scale has no middle, so a student has to lean one way, and "Don't know" is
kept out of every share rather than counted as unfavourable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Theme:
    ENGAGEMENT = "engagement"
    SAFETY = "safety"
    INFLUENCE = "influence"
    STUDY_CLIMATE = "study_climate"
    SUPPORT = "support"

    ORDER = [ENGAGEMENT, SAFETY, INFLUENCE, STUDY_CLIMATE, SUPPORT]
    LABELS = {
        ENGAGEMENT: _("Engagement"),
        SAFETY: _("Safety"),
        INFLUENCE: _("Influence"),
        STUDY_CLIMATE: _("Study climate"),
        SUPPORT: _("Support"),
    }
    DESCRIPTIONS = {
        ENGAGEMENT: _("Whether the student is engaged in the education and in schoolwork."),
        SAFETY: _("Whether the student feels safe and treated with respect at school."),
        INFLUENCE: _("Whether the student can influence the teaching and the own study plan."),
        STUDY_CLIMATE: _("Whether lessons give calm, belonging and high expectations."),
        SUPPORT: _("Whether the student gets help, language support and guidance when needed."),
    }


class Kind:
    SCALE = "scale"
    TEXT = "text"


# The answer values of a scale item. 0 is "Don't know", stored but never in a share.
DONT_KNOW = 0
SCALE = (
    (4, _("Completely true")),
    (3, _("Mostly true")),
    (2, _("Not very true")),
    (1, _("Not true at all")),
)
SCALE_DONT_KNOW = (DONT_KNOW, _("Don't know"))
FAVOURABLE_FROM = 3  # 3 and 4: "Mostly true" and "Completely true"
SCALE_VALUES = frozenset([v for v, _label in SCALE] + [DONT_KNOW])
FREE_TEXT_MAX_CHARS = 1000
MAX_FREE_TEXT_ITEMS = 2


@dataclass(frozen=True)
class Item:
    key: str
    version: int
    theme: str
    kind: str
    text: Promise

    @property
    def ref(self) -> str:
        return f"{self.key}_v{self.version}"

    @property
    def theme_label(self) -> str:
        return str(Theme.LABELS[self.theme])


BANK: dict[str, Item] = {}


def _add(key: str, version: int, theme: str, text: Promise, kind: str = Kind.SCALE) -> None:
    item = Item(key, version, theme, kind, text)
    assert item.ref not in BANK, item.ref
    assert theme in Theme.LABELS
    BANK[item.ref] = item


# --- Engagement -------------------------------------------------------------------------
_add("engagement_interest", 1, Theme.ENGAGEMENT, _("My schoolwork makes me curious and interested."))
_add("engagement_effort", 1, Theme.ENGAGEMENT, _("I try my best in my schoolwork."))
_add("engagement_goals", 1, Theme.ENGAGEMENT, _("I know what I need to do to reach my goals."))
_add("engagement_future", 1, Theme.ENGAGEMENT, _("What I learn at school will be useful to me later."))
# --- Safety -----------------------------------------------------------------------------
_add("safety_safe", 1, Theme.SAFETY, _("I feel safe at school."))
_add("safety_respect", 1, Theme.SAFETY, _("Students at my school treat each other with respect."))
_add("safety_adult", 1, Theme.SAFETY, _("There is an adult at school I can turn to if something is wrong."))
_add("safety_acts", 1, Theme.SAFETY, _("The school acts when someone is harassed or treated badly."))
# --- Influence --------------------------------------------------------------------------
_add("influence_lessons", 1, Theme.INFLUENCE, _("I can influence how we work in lessons."))
_add("influence_plan", 1, Theme.INFLUENCE, _("I have a say in what goes into my study plan."))
_add("influence_listened", 1, Theme.INFLUENCE, _("The school takes students' views seriously."))
# --- Study climate ----------------------------------------------------------------------
_add("climate_calm", 1, Theme.STUDY_CLIMATE, _("There is enough calm in lessons for me to work."))
_add("climate_expectations", 1, Theme.STUDY_CLIMATE, _("My teachers believe that I can do well."))
_add("climate_belonging", 1, Theme.STUDY_CLIMATE, _("I feel that I belong in my class or group."))
# --- Support ----------------------------------------------------------------------------
_add("support_help", 1, Theme.SUPPORT, _("I get help when I need it."))
_add("support_help", 2, Theme.SUPPORT, _("I get help from my teachers when I need it."))
_add("support_language", 1, Theme.SUPPORT, _("I get help to understand the Swedish in my subjects."))
_add("support_mother_tongue", 1, Theme.SUPPORT, _("I get study guidance in my mother tongue when I need it."))
_add("support_progress", 1, Theme.SUPPORT, _("My teachers tell me how I am doing in relation to my goals."))
_add("support_guidance", 1, Theme.SUPPORT, _("I have talked with a study and careers counsellor about my future."))
# --- Free text (at most two a wave) -----------------------------------------------------
_add("open_best", 1, Theme.ENGAGEMENT, _("What is the best thing about your education?"), Kind.TEXT)
_add("open_change", 1, Theme.SUPPORT, _("What would you like your school to change?"), Kind.TEXT)


def items(refs) -> list[Item]:
    """Bank items for refs, in the order given; unknown refs are skipped."""
    return [BANK[r] for r in refs if r in BANK]


def current() -> list[Item]:
    """The newest version of every key: what a new wave is offered."""
    newest: dict[str, Item] = {}
    for item in BANK.values():
        if item.key not in newest or item.version > newest[item.key].version:
            newest[item.key] = item
    order = {key: n for n, key in enumerate(dict.fromkeys(i.key for i in BANK.values()))}
    return sorted(newest.values(), key=lambda i: (i.kind != Kind.SCALE, Theme.ORDER.index(i.theme), order[i.key]))


def comparable(refs_a, refs_b) -> set[str]:
    """Refs asked in both waves: the only items whose results may be compared."""
    return set(refs_a) & set(refs_b)


def scale_refs_by_theme(refs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {t: [] for t in Theme.ORDER}
    for item in items(refs):
        if item.kind == Kind.SCALE:
            out[item.theme].append(item.ref)
    return out
