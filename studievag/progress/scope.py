"""Which course groups, teams and organisers' settings a user works with."""

from django.db.models import Q

from studievag.access.models import Role
from studievag.access.policy import assignments_for_action, grants_for
from studievag.enrolments.models import StudentGroup
from studievag.organisations.models import Organiser, SchoolUnit


def course_groups_for(user):
    """Course groups whose progression and attendance this user records: own groups as
    teacher, every course group at the units where the user is principal."""
    grants = grants_for(user)
    group_ids = grants.scoped(Role.TEACHER, "group")
    unit_ids = grants.scoped(Role.PRINCIPAL, "school_unit")
    return StudentGroup.objects.filter(
        Q(pk__in=group_ids) | Q(school_unit_id__in=unit_ids),
        kind=StudentGroup.Kind.COURSE_GROUP,
        course__isnull=False,
    ).select_related("course__subject", "school_unit__organiser")


def teams_for(user):
    """The teams whose weekly overview this user may open: (groups, school units).

    Groups: mentor groups and work teams the user holds a role in; every mentor
    group and work team at the units where the user is counsellor, student
    health or principal. Units: those same units, as one whole team.
    """
    assignments = assignments_for_action(user, "progress.team")
    group_ids = [a.group_id for a in assignments if a.group_id]
    unit_ids = [a.school_unit_id for a in assignments if a.school_unit_id]
    groups = StudentGroup.objects.filter(
        Q(pk__in=group_ids) | Q(school_unit_id__in=unit_ids),
        kind__in=[StudentGroup.Kind.MENTOR_GROUP, StudentGroup.Kind.WORK_TEAM],
    ).select_related("school_unit")
    units = SchoolUnit.objects.filter(pk__in=unit_ids).select_related("organiser")
    return groups, units


def organisers_for_settings(user):
    """Organisers whose follow-up settings this user manages (analyst: own organiser;
    principal: the organisers of own units)."""
    grants = grants_for(user)
    organiser_ids = grants.scoped(Role.ORGANISER_ANALYST, "organiser")
    unit_ids = grants.scoped(Role.PRINCIPAL, "school_unit")
    return Organiser.objects.filter(Q(pk__in=organiser_ids) | Q(school_units__pk__in=unit_ids)).distinct()
