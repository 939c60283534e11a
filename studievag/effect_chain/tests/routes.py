import datetime

from studievag.testing import Route

READERS = frozenset({"organiser_analyst", "regional_coordinator"})
ANALYST = frozenset({"organiser_analyst"})
COORDINATOR = frozenset({"regional_coordinator"})
STAFF_DEVELOPMENT = frozenset({"principal", "organiser_analyst"})


def _chains(cast):
    """Organiser A's chain (with a node and a linked indicator) and the region's chain."""
    from studievag.effect_chain.models import ChainNode, EffectChain, IndicatorLink

    regional, _ = EffectChain.objects.get_or_create(
        region=cast.region, title="Regional kedja", defaults={"created_by": cast.coordinator}
    )
    chain, _ = EffectChain.objects.get_or_create(
        organiser=cast.organiser_a,
        title="Kedja A",
        defaults={"created_by": cast.analyst, "regional_chain": regional},
    )
    node, _ = ChainNode.objects.get_or_create(
        chain=chain,
        level="desired_state",
        title="Fler elever går vidare",
        defaults={"owner": "Skolchef", "start_date": datetime.date(2026, 1, 1)},
    )
    link, _ = IndicatorLink.objects.get_or_create(
        node=node,
        indicator="students",
        defaults={
            "baseline_on": datetime.date(2026, 1, 10),
            "baseline_period": "vt2026",
            "baseline_text": "..",
            "linked_by": cast.analyst,
        },
    )
    return chain, regional, node, link


def chain_a(cast) -> dict:
    return {"pk": _chains(cast)[0].pk}


def regional(cast) -> dict:
    return {"pk": _chains(cast)[1].pk}


def node_a(cast) -> dict:
    return {"pk": _chains(cast)[2].pk}


def link_a(cast) -> dict:
    return {"pk": _chains(cast)[3].pk}


ROUTES = [
    Route("effect_chain:chain_list", READERS),
    Route(
        "effect_chain:chain_list",
        READERS,
        method="post",
        data=lambda c: {"owner": f"organiser:{c.organiser_a.pk}", "title": "Ny kedja"},
        label="create",
        no_write_for=frozenset({"regional_coordinator"}),
    ),
    Route("effect_chain:chain_detail", READERS, kwargs=chain_a, label="organiser"),
    Route("effect_chain:chain_detail", READERS, kwargs=regional, label="region"),
    Route("effect_chain:chain_edit", ANALYST, kwargs=chain_a),
    Route(
        "effect_chain:chain_edit", ANALYST, kwargs=chain_a, method="post", data=lambda c: {"title": "A"}, label="save"
    ),
    Route("effect_chain:chain_edit", COORDINATOR, kwargs=regional, label="region"),
    Route("effect_chain:node_create", ANALYST, kwargs=chain_a),
    Route(
        "effect_chain:node_create",
        ANALYST,
        kwargs=chain_a,
        method="post",
        data=lambda c: {"level": "activity", "title": "Fortbildning", "owner": "Rektor", "start_date": "2026-02-01"},
        label="save",
    ),
    Route("effect_chain:note_create", ANALYST, kwargs=chain_a),
    Route(
        "effect_chain:note_create",
        ANALYST,
        kwargs=chain_a,
        method="post",
        data=lambda c: {"kind": "meeting", "theme": "study_plan", "written_on": "2026-02-01", "text": "Anteckning"},
        label="save",
    ),
    Route("effect_chain:board_report", READERS, kwargs=lambda c: {**chain_a(c), "fmt": "pdf"}, label="pdf"),
    Route("effect_chain:board_report", READERS, kwargs=lambda c: {**chain_a(c), "fmt": "xlsx"}, label="xlsx"),
    Route("effect_chain:node_edit", ANALYST, kwargs=node_a),
    Route(
        "effect_chain:node_edit",
        ANALYST,
        kwargs=node_a,
        method="post",
        data=lambda c: {"title": "Fler elever går vidare", "owner": "Skolchef", "start_date": "2026-01-01"},
        label="save",
    ),
    Route("effect_chain:link_create", ANALYST, kwargs=node_a),
    Route(
        "effect_chain:link_create",
        ANALYST,
        kwargs=node_a,
        method="post",
        data=lambda c: {"indicator": "newly_arrived", "direction": "higher"},
        label="save",
    ),
    Route("effect_chain:target_set", ANALYST, kwargs=link_a),
    Route(
        "effect_chain:target_set",
        ANALYST,
        kwargs=link_a,
        method="post",
        data=lambda c: {"checkpoint": "2027-06-30", "value": "12"},
        label="save",
    ),
    Route("effect_chain:notes", READERS),
    Route("effect_chain:staff_development", STAFF_DEVELOPMENT),
    Route(
        "effect_chain:staff_development",
        STAFF_DEVELOPMENT,
        method="post",
        data=lambda c: {
            "person": c.mentor_a.pk,
            "organiser": c.organiser_a.pk,
            "topic": "language_developing",
            "title": "Språkutvecklande arbetssätt",
            "completed_on": "2026-01-20",
        },
        label="record",
    ),
]
