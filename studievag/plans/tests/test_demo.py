import pytest
from django.utils import timezone

from studievag.demo.services import demo_seed
from studievag.enrolments.models import Enrolment
from studievag.people.models import Student
from studievag.plans.models import Plan, PlanRevision
from studievag.plans.rules import ApprovalState
from studievag.plans.selectors import plan_status_for
from studievag.plans.snapshot import plan_snapshot
from studievag.testing import shared_by_a_module

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Built once for the module; each test's changes are rolled back.
    with shared_by_a_module(django_db_blocker):
        yield demo_seed(students=80)


def test_demo_plans_show_every_state(demo):
    today = timezone.localdate()
    current = set(Enrolment.objects.active_on(today).values_list("student_id", flat=True))
    statuses = plan_status_for(current, on=today).values()
    with_plan = [s for s in statuses if s.has_plan]
    assert len(with_plan) > 0.7 * len(current)  # most current students
    assert any(s.plan_late for s in statuses)
    assert any(s.review_due for s in statuses)
    states = {p.approval_state for p in Plan.objects.all()}
    assert states == {ApprovalState.NOT_APPROVED, ApprovalState.APPROVED, ApprovalState.CHANGED_SINCE_APPROVAL}
    assert PlanRevision.objects.filter(version__gte=2).exists()
    student = Student.objects.get(user__username="student")
    plan = student.plan
    assert plan.approval_state == ApprovalState.CHANGED_SINCE_APPROVAL
    assert (plan.goals.count(), plan.courses.count(), plan.internships.count()) == (4, 3, 1)
    # Every plan's newest revision is the plan as it stands.
    for p in Plan.objects.all()[:40]:
        assert p.revisions.order_by("-version").first().snapshot == plan_snapshot(p)


def test_demo_family_sees_changes_and_the_mentor_a_proposal(demo):
    from studievag.plans.models import PlanProposal, PlanSeen
    from studievag.plans.selectors import changes_since_seen
    from studievag.plans.services import plan_seen_record

    plan = Student.objects.get(user__username="student").plan
    assert PlanSeen.objects.filter(plan=plan).count() == 2  # the student and the guardian
    guardian = PlanSeen.objects.exclude(user=plan.student.user).get(plan=plan).user
    seen, newer = plan_seen_record(acting_user=guardian, plan=plan)
    assert newer
    changes = changes_since_seen(plan, seen)
    # Every version after the first, with its reason (the demo's guidance and plan talk among them).
    reasons = [r.reason for r in changes.revisions]
    assert reasons == list(plan.revisions.filter(version__gt=1).order_by("version").values_list("reason", flat=True))
    assert "Plansamtal: praktik ordnad" in reasons
    proposal = PlanProposal.objects.get(plan=plan)
    assert proposal.is_open and proposal.goals.count() == 2
