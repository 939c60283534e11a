from django.conf import settings

from .policy import may, roles_of


def roles(request):
    """Roles, menu flags and the languages offered, for the page frame."""
    user = getattr(request, "user", None)
    context = {
        "staff_languages": settings.STAFF_LANGUAGES,
        "family_languages": settings.FAMILY_LANGUAGES,
        "user_roles": set(),
        "nav": {},
    }
    if user is None or not user.is_authenticated:
        return context
    context["user_roles"] = roles_of(user)
    context["nav"] = {
        "students": may(user, "student.list"),
        "audit": may(user, "audit.school_log"),
        "access_manage": may(user, "access.manage"),
        "family": may(user, "family.view"),
        "own_reads": may(user, "family.own_reads"),
        "overview": may(user, "organisation.overview"),
        "admin": may(user, "organisation.admin"),
        "quality": may(user, "quality.report"),
        "reflections": may(user, "quality.reflections"),
        "effect_chain": may(user, "effect_chain.view"),
        "staff_development": may(user, "effect_chain.staff_development"),
        "plans": may(user, "plan.list"),
        "education_plans": may(user, "plan.education_plan.view"),
        # Progress and intake.
        "progress_record": may(user, "progress.record"),
        "progress_team": may(user, "progress.team"),
        "progress_settings": may(user, "progress.settings"),
        "handover_send": may(user, "handover.send"),
        "handover_receive": may(user, "handover.receive"),
        "handover_region": may(user, "handover.region"),
        "handover_settings": may(user, "handover.settings"),
        "follow_ups": may(user, "outcomes.follow_up"),
        "kaa_inbox": may(user, "outcomes.kaa_inbox"),
        "interop_sync": may(user, "interop.sync"),
        "interop_conflicts": may(user, "interop.conflicts"),
        "surveys_answer": may(user, "surveys.answer"),
        "surveys": any(may(user, a) for a in ("surveys.manage", "surveys.results", "surveys.free_text")),
    }
    return context
