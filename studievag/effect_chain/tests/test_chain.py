"""Baselines, live figures and status of a chain, against hand-counted fixtures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from studievag.effect_chain import services
from studievag.effect_chain.models import ChainNode, EffectChain, IndicatorLink, Target
from studievag.effect_chain.rules import Status
from studievag.effect_chain.selectors import chain_view
from studievag.organisations.models import StaffTraining
from studievag.organisations.services import staff_training_record
from studievag.plans.services import guidance_record, plan_create
from studievag.testing import make_student

D = datetime.date
BASELINE_DAY = D(2026, 3, 15)  # spring term 2026
LATER = D(2026, 5, 20)  # the same term


@pytest.fixture
def world(cast):
    """Twelve students at A from August 2025, each with a plan; with Adam (enrolled
    400 days before today) organiser A has 13 students in the spring term of 2026."""
    students = [make_student(cast.unit_a, start=D(2025, 8, 1)) for _ in range(12)]
    for s in students:
        plan_create(acting_user=cast.mentor_a, student=s, reason="Första planen")
    return students


@pytest.fixture
def chain(cast):
    regional = EffectChain.objects.create(region=cast.region, title="Skaraborg", created_by=cast.coordinator)
    chain = services.chain_create(
        acting_user=cast.analyst, title="Kedja A", organiser=cast.organiser_a, regional_chain=regional
    )
    return chain


def node(chain, user, level="student_effect"):
    return services.node_create(
        acting_user=user,
        chain=chain,
        level=level,
        title="Alla elever får vägledning",
        owner="SYV",
        start_date=D(2026, 1, 1),
    )


def guide(cast, students, on):
    for s in students:
        guidance_record(acting_user=cast.counsellor_a, plans=[s.plan], kind="individual", held_on=on, topic="Val")


def test_the_baseline_is_the_figure_shown_when_the_indicator_is_linked(cast, world, chain):
    guide(cast, world[:4], D(2026, 2, 10))
    guide(cast, world[4:6], D(2026, 4, 1))  # after the baseline day: not in it
    link = services.indicator_link(
        acting_user=cast.analyst,
        node=node(chain, cast.analyst),
        indicator="guidance_held",
        direction="higher",
        on=BASELINE_DAY,
    )
    # 4 of 13 students by 15 March: 30.77 %, shown as 31.
    assert (link.baseline_period, link.baseline_text, link.baseline_value) == ("vt2026", "31", 30.8)
    assert link.baseline_on == BASELINE_DAY
    assert cast.analyst == link.linked_by
    assert chain.events.filter(action="indicator_linked").count() == 1


def test_status_follows_the_live_figures(cast, world, chain):
    guide(cast, world[:4], D(2026, 2, 10))
    link = services.indicator_link(
        acting_user=cast.analyst,
        node=node(chain, cast.analyst),
        indicator="guidance_held",
        direction="higher",
        on=BASELINE_DAY,
    )
    services.target_set(acting_user=cast.analyst, link=link, checkpoint=D(2026, 6, 30), value=Decimal("70"))
    guide(cast, world[4:5], D(2026, 4, 20))
    # 5 of 13 = 38.5 % on 20 May; the line from 30.8 (15 March) to 70 (30 June) is at
    # 30.8 + 39.2 × 66/107 = 54.98 that day: behind.
    lv = chain_view(cast.analyst, chain, on=LATER).links[0]
    assert (lv.current.text, lv.status) == ("38", Status.BEHIND)
    assert lv.expected == pytest.approx(30.8 + 39.2 * 66 / 107)
    guide(cast, world[5:8], D(2026, 4, 20))
    # 8 of 13 = 61.5 %: above the line, not yet the target.
    lv = chain_view(cast.analyst, chain, on=LATER).links[0]
    assert (lv.current.text, lv.status) == ("62", Status.ON_TRACK)
    guide(cast, world[8:10], D(2026, 4, 20))
    # 10 of 13 = 76.9 %: the target is reached.
    assert chain_view(cast.analyst, chain, on=LATER).links[0].status == Status.MET


def test_a_suppressed_figure_gives_a_hidden_baseline_and_no_status(cast, world, chain):
    # Five staff work at A (mentor, teacher, counsellor, student health, principal):
    # a share over five people is hidden, so neither the baseline nor the status shows.
    staff_training_record(
        acting_user=cast.analyst,
        person=cast.mentor_a,
        organiser=cast.organiser_a,
        topic=StaffTraining.Topic.LANGUAGE_DEVELOPING,
        title="Språkutvecklande arbetssätt",
        completed_on=D(2026, 2, 1),
    )
    link = services.indicator_link(
        acting_user=cast.analyst,
        node=node(chain, cast.analyst, "change"),
        indicator="staff_language_developing",
        direction="higher",
        on=BASELINE_DAY,
    )
    assert (link.baseline_text, link.baseline_value) == ("..", None)
    services.target_set(acting_user=cast.analyst, link=link, checkpoint=D(2026, 6, 30), value=Decimal("80"))
    lv = chain_view(cast.analyst, chain, on=LATER).links[0]
    assert (lv.current.text, lv.status, lv.expected) == ("..", Status.SUPPRESSED, None)


def test_the_analyst_reads_the_regional_chain_without_the_regions_figures(cast, world, chain):
    regional = chain.regional_chain
    n = node(regional, cast.coordinator, "desired_state")
    services.indicator_link(acting_user=cast.coordinator, node=n, indicator="students", direction="higher", on=LATER)
    coordinator_view = chain_view(cast.coordinator, regional, on=LATER)
    analyst_view = chain_view(cast.analyst, regional, on=LATER)
    # Region: the 13 at A and Bertil (enrolled 60 days before today: not in spring 2026).
    assert coordinator_view.links[0].current.text == "13"
    assert analyst_view.figures_shown is False
    assert analyst_view.links[0].current is None


def test_an_organiser_cannot_change_the_regions_chain_and_nothing_is_written(cast, chain, login):
    regional = chain.regional_chain
    before = (ChainNode.objects.count(), IndicatorLink.objects.count())
    with pytest.raises(PermissionDenied):
        node(regional, cast.analyst)
    response = login(cast.analyst).post(
        reverse("effect_chain:node_create", kwargs={"pk": regional.pk}),
        {"level": "activity", "title": "X", "owner": "Y", "start_date": "2026-02-01"},
    )
    assert response.status_code == 404
    response = login(cast.mentor_a).post(
        reverse("effect_chain:node_create", kwargs={"pk": chain.pk}),
        {"level": "activity", "title": "X", "owner": "Y", "start_date": "2026-02-01"},
    )
    assert response.status_code == 403
    assert (ChainNode.objects.count(), IndicatorLink.objects.count()) == before


def test_denied_target_and_note_writes_change_nothing(cast, chain, login):
    n = node(chain, cast.analyst)
    link = IndicatorLink.objects.create(
        node=n,
        indicator="students",
        baseline_on=BASELINE_DAY,
        baseline_period="vt2026",
        baseline_text="13",
        baseline_value=13,
        linked_by=cast.analyst,
    )
    client = login(cast.coordinator)
    assert (
        client.post(
            reverse("effect_chain:target_set", kwargs={"pk": link.pk}), {"checkpoint": "2027-01-01", "value": "20"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("effect_chain:note_create", kwargs={"pk": chain.pk}),
            {"kind": "meeting", "theme": "other", "written_on": "2026-02-01", "text": "x"},
        ).status_code
        == 404
    )
    assert not Target.objects.exists()
    assert not chain.notes.exists()


def test_a_target_comes_after_the_baseline_and_a_share_stays_within_0_to_100(cast, chain):
    n = node(chain, cast.analyst)
    link = IndicatorLink.objects.create(
        node=n,
        indicator="guidance_held",
        baseline_on=BASELINE_DAY,
        baseline_period="vt2026",
        baseline_text="31",
        baseline_value=30.8,
        linked_by=cast.analyst,
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.target_set(acting_user=cast.analyst, link=link, checkpoint=BASELINE_DAY, value=Decimal("50"))
    with pytest.raises(ValidationError):
        services.target_set(acting_user=cast.analyst, link=link, checkpoint=D(2026, 6, 1), value=Decimal("101"))
    services.target_set(acting_user=cast.analyst, link=link, checkpoint=D(2026, 6, 1), value=Decimal("50"))
    services.target_set(acting_user=cast.analyst, link=link, checkpoint=D(2026, 6, 1), value=Decimal("55"))
    assert list(link.targets.values_list("value", flat=True)) == [Decimal("55.0")]


def test_a_node_leads_only_to_the_level_just_above(cast, chain):
    from django.core.exceptions import ValidationError

    top = node(chain, cast.analyst, "desired_state")
    with pytest.raises(ValidationError):
        services.node_create(
            acting_user=cast.analyst,
            chain=chain,
            level="activity",
            title="A",
            owner="B",
            start_date=D(2026, 1, 1),
            leads_to=[top],
        )
    effect = services.node_create(
        acting_user=cast.analyst,
        chain=chain,
        level="student_effect",
        title="A",
        owner="B",
        start_date=D(2026, 1, 1),
        leads_to=[top],
    )
    assert list(top.comes_from.all()) == [effect]


def test_development_notes_are_searched_by_words_theme_and_kind(cast, chain, login):
    services.note_create(
        acting_user=cast.analyst,
        chain=chain,
        kind="meeting",
        theme="study_plan",
        written_on=D(2026, 2, 1),
        text="Studieplanerna saknar elevens mål på sikt.",
    )
    services.note_create(
        acting_user=cast.analyst,
        chain=chain,
        kind="needs",
        theme="knowledge",
        written_on=D(2026, 2, 2),
        text="Vi följer inte progressionen före betyg.",
    )
    client = login(cast.coordinator)
    found = client.get(reverse("effect_chain:notes"), {"q": "progressionen"}).context["results"]
    assert [n.theme for n in found] == ["knowledge"]
    found = client.get(reverse("effect_chain:notes"), {"theme": "study_plan"}).context["results"]
    assert [n.kind for n in found] == ["meeting"]
    assert login(cast.mentor_b).get(reverse("effect_chain:notes")).status_code == 403


def test_board_report_pdf_and_excel_hold_the_chain(cast, world, chain, login):
    from io import BytesIO

    from openpyxl import load_workbook

    guide(cast, world[:4], D(2026, 2, 10))
    services.indicator_link(
        acting_user=cast.analyst,
        node=node(chain, cast.analyst),
        indicator="guidance_held",
        direction="higher",
        on=BASELINE_DAY,
    )
    client = login(cast.analyst)
    response = client.get(reverse("effect_chain:board_report", kwargs={"pk": chain.pk, "fmt": "xlsx"}))
    ws = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    data = [r for r in rows if r[1] == "Alla elever får vägledning"]
    assert len(data) == 1
    assert data[0][5].startswith("31 (")
    response = client.get(reverse("effect_chain:board_report", kwargs={"pk": chain.pk, "fmt": "pdf"}))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_chain_page_keeps_to_a_query_budget(cast, world, chain, login, django_assert_max_num_queries):
    nodes = [node(chain, cast.analyst, level) for level in ("desired_state", "student_effect", "change", "activity")]
    for n, indicator in zip(
        nodes, ["students", "guidance_held", "staff_language_developing", "full_time"], strict=True
    ):
        link = services.indicator_link(acting_user=cast.analyst, node=n, indicator=indicator, direction="higher")
        services.target_set(
            acting_user=cast.analyst, link=link, checkpoint=link.baseline_on + datetime.timedelta(days=90), value=50
        )
    client = login(cast.analyst)
    # Session, user, grants (3); chain scope (organisers) and the chain; nodes, links, targets,
    # leads-to (4); the level's school units (2), suppression rules; the report: one query for
    # the plain indicators, one each for guidance and full time, staff roles and trainings;
    # may-edit's scope and the regional chain's organiser chains; notes (scope, notes); events;
    # report scope and navigation. The figures are protected with everything the analyst can
    # open (quality/linked.py): the scope tree and its rules (4), and the term's school year too (3).
    with django_assert_max_num_queries(36):
        response = client.get(reverse("effect_chain:chain_detail", kwargs={"pk": chain.pk}))
    assert response.status_code == 200
    assert len(response.context["view"].links) == 4


def test_a_node_is_changed_by_its_editor_only(cast, chain, login):
    top = node(chain, cast.analyst, "desired_state")
    effect = node(chain, cast.analyst, "student_effect")
    url = reverse("effect_chain:node_edit", kwargs={"pk": effect.pk})
    data = {
        "level": "activity",  # ignored: the level stays
        "title": "Eleverna läser på heltid",
        "owner": "Rektor IMS",
        "start_date": "2026-02-01",
        "end_date": "2026-12-31",
        "description": "Minst 23 timmar i veckan",
        "leads_to": [top.pk],
    }
    assert login(cast.coordinator).post(url, data).status_code == 404
    effect.refresh_from_db()
    assert effect.title == "Alla elever får vägledning"
    assert login(cast.analyst).post(url, data).status_code == 302
    effect.refresh_from_db()
    assert (effect.level, effect.title, effect.owner, effect.end_date) == (
        "student_effect",
        "Eleverna läser på heltid",
        "Rektor IMS",
        D(2026, 12, 31),
    )
    assert list(effect.leads_to.all()) == [top]
    assert chain.events.filter(action="node_changed").count() == 1
