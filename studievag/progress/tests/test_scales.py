"""The organiser's own progression scales, made and changed on the settings pages."""

import pytest
from django.urls import reverse

from studievag.progress import rules
from studievag.progress.models import ProgressRecord
from studievag.progress.selectors import ScaleBook, goal_position
from studievag.scales.models import ProgressionScale
from studievag.scales.selectors import GoalBook

from .helpers import ensure_course, own_scale, scale_post

pytestmark = pytest.mark.django_db

TWO_STEPS = [{"label": "Början", "colour": "#fde2e2"}, {"label": "Mål", "colour": "#d8f0d8", "is_goal": "on"}]


def _steps(scale):
    return [(s.position, s.label, s.colour, s.is_goal) for s in scale.steps.order_by("position")]


def _snapshot():
    return [(s.pk, s.name, s.subject_codes, _steps(s)) for s in ProgressionScale.objects.order_by("pk")]


@pytest.mark.parametrize(
    "colour, ok",
    [
        ("#ffffff", True),
        ("#d8f0d8", True),
        ("#7c7c7c", True),
        ("#7b7b7b", False),
        ("#666666", False),
        ("#0b4f6c", False),
        ("#000000", False),
    ],
)
def test_step_colours_need_contrast_with_the_dark_text(colour, ok):
    assert (rules.contrast_ratio(colour, rules.STEP_TEXT_COLOUR) >= rules.MIN_STEP_CONTRAST) is ok


def test_contrast_ratio_is_symmetric_and_spans_1_to_21():
    assert rules.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert rules.contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert rules.contrast_ratio("#abcdef", "#abcdef") == pytest.approx(1)


def test_principal_makes_an_own_scale_that_replaces_the_shipped_one(cast, login):
    client = login(cast.principal_a)
    page = client.get(reverse("progress:settings")).content.decode()
    assert reverse("progress:scale_create") in page
    response = client.post(
        reverse("progress:scale_create") + f"?organiser={cast.organiser_a.pk}",
        scale_post(
            name="Engelska steg",
            subject_codes="engeng01, GRGRENG01",
            steps=[TWO_STEPS[0], {"label": "Mitt", "colour": "#fff1c2"}, TWO_STEPS[1]],
        ),
    )
    assert response.status_code == 302
    scale = ProgressionScale.objects.get(name="Engelska steg")
    assert scale.organiser == cast.organiser_a
    assert scale.subject_codes == ["ENGENG01", "GRGRENG01"]
    assert _steps(scale) == [
        (1, "Början", "#fde2e2", False),
        (2, "Mitt", "#fff1c2", False),
        (3, "Mål", "#d8f0d8", True),
    ]
    assert ScaleBook([cast.organiser_a.pk]).for_subject(cast.organiser_a.pk, "ENGENG01") == scale
    assert ScaleBook([cast.organiser_b.pk]).for_subject(cast.organiser_b.pk, "ENGENG01") != scale
    page = client.get(response["Location"]).content.decode()
    assert "Engelska steg" in page and reverse("progress:scale_edit", args=[scale.pk]) in page


def test_a_shipped_scale_is_the_starting_point_of_an_own_one(cast, login):
    shipped = ProgressionScale.objects.filter(organiser=None, name="Matematik").get()
    url = reverse("progress:scale_create") + f"?organiser={cast.organiser_a.pk}&from={shipped.pk}"
    page = login(cast.analyst).get(url)
    html = page.content.decode()
    for step in shipped.steps.all():
        assert f'value="{step.label}"' in html


def test_analyst_reorders_relabels_and_moves_the_goal(cast, login):
    scale = own_scale(cast)
    start, way, goal = scale.steps.order_by("position")
    response = login(cast.analyst).post(
        reverse("progress:scale_edit", args=[scale.pk]),
        scale_post(
            name="Matematik, egen",
            subject_codes="GRGRMAT01",
            steps=[
                {"id": way.pk, "label": "Nästan", "colour": "#FFF1C2", "is_goal": "on"},
                {"id": start.pk, "label": "Start", "colour": "#fde2e2"},
                {"id": goal.pk, "label": "Över målet", "colour": "#d8f0d8"},
            ],
        ),
    )
    assert response.status_code == 302
    scale.refresh_from_db()
    assert scale.name == "Matematik, egen"
    assert _steps(scale) == [
        (1, "Nästan", "#fff1c2", True),
        (2, "Start", "#fde2e2", False),
        (3, "Över målet", "#d8f0d8", False),
    ]
    assert {s.pk for s in scale.steps.all()} == {start.pk, way.pk, goal.pk}  # same rows, records keep them


@pytest.mark.parametrize(
    "steps, message",
    [
        ([TWO_STEPS[1]], "A scale needs at least two steps."),
        ([TWO_STEPS[0], {**TWO_STEPS[1], "is_goal": ""}], "Mark exactly one step as the course goal (now 0)."),
        ([{**TWO_STEPS[0], "is_goal": "on"}, TWO_STEPS[1]], "Mark exactly one step as the course goal (now 2)."),
        (
            [{**TWO_STEPS[0], "colour": "#0b4f6c"}, TWO_STEPS[1]],
            "Step 1 (Början): the colour #0b4f6c is too dark for the text on it",
        ),
        ([{**TWO_STEPS[0], "colour": "red"}, TWO_STEPS[1]], "Write the colour as #rrggbb."),
    ],
)
def test_bad_scales_are_refused_with_a_reason_and_change_nothing(cast, login, steps, message):
    own_scale(cast)
    before = _snapshot()
    response = login(cast.principal_a).post(
        reverse("progress:scale_edit", args=[own_scale(cast).pk]),
        scale_post(name="Ny", subject_codes="GRGRMAT01", steps=steps),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot() == before


def test_a_subject_code_of_another_own_scale_is_refused(cast, login):
    own_scale(cast)
    before = _snapshot()
    response = login(cast.principal_a).post(
        reverse("progress:scale_create"), scale_post(name="Dubblett", subject_codes="GRGRMAT01", steps=TWO_STEPS)
    )
    assert "The subject code GRGRMAT01 already has the scale “Egen matematik”." in response.content.decode()
    assert _snapshot() == before


def test_a_step_in_use_cannot_be_removed_and_the_page_says_so(cast, login, today):
    ensure_course(cast)
    scale = own_scale(cast)
    start, way, goal = scale.steps.order_by("position")
    ProgressRecord.objects.create(
        student=cast.alice, course=cast.course_group_a.course, step=way, recorded_on=today, recorded_by=cast.teacher_a
    )
    client = login(cast.principal_a)
    url = reverse("progress:scale_edit", args=[scale.pk])
    assert "In use by 1 record" in client.get(url).content.decode()
    before = _snapshot()
    response = client.post(
        url,
        scale_post(
            name=scale.name,
            subject_codes="GRGRMAT01",
            steps=[
                {"id": start.pk, "label": "Start", "colour": "#fde2e2"},
                {"id": goal.pk, "label": "Mål", "colour": "#d8f0d8", "is_goal": "on"},
            ],
        ),
    )
    assert "The step “På väg” is used by 1 records or starting levels and cannot be removed" in (
        response.content.decode()
    )
    assert _snapshot() == before
    # An unused step can go.
    response = client.post(
        url,
        scale_post(
            name=scale.name,
            subject_codes="GRGRMAT01",
            steps=[
                {"id": way.pk, "label": "På väg", "colour": "#fff1c2"},
                {"id": goal.pk, "label": "Mål", "colour": "#d8f0d8", "is_goal": "on"},
            ],
        ),
    )
    assert response.status_code == 302
    assert [s.label for s in scale.steps.order_by("position")] == ["På väg", "Mål"]


def test_scales_of_other_organisers_and_shipped_scales_are_not_edited_here(cast, login):
    shipped = ProgressionScale.objects.filter(organiser=None).first()
    other = ProgressionScale.objects.create(organiser=cast.organiser_b, name="B:s skala")
    client = login(cast.principal_a)
    for scale in (shipped, other):
        url = reverse("progress:scale_edit", args=[scale.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, scale_post(name="Kapad", subject_codes="X", steps=TWO_STEPS)).status_code == 404
    response = client.get(reverse("progress:scale_create") + f"?organiser={cast.organiser_b.pk}")
    assert response.status_code == 404
    assert not ProgressionScale.objects.filter(name="Kapad").exists()
    assert login(cast.mentor_a).get(reverse("progress:scale_create")).status_code == 403


def test_every_shipped_step_colour_is_readable_under_the_step_text():
    from studievag.progress import rules
    from studievag.scales.defaults import PALETTE

    # step_colour spreads a scale's steps over the whole palette.
    for colour in PALETTE:
        assert rules.contrast_ratio(colour, rules.STEP_TEXT_COLOUR) >= rules.MIN_STEP_CONTRAST, colour


def test_the_goal_book_chooses_the_scale_and_goal_that_the_scale_book_does(cast):
    """The team overview's plain-row goals agree with the scales and ``goal_position``: an
    organiser's own scale, the shipped one, a generic fallback and a scale without a goal."""
    own = own_scale(cast)  # organiser A's mathematics, goal at step 3
    no_goal = ProgressionScale.objects.create(organiser=cast.organiser_b, name="Utan mål", subject_codes=["SVASVA01"])
    for position in (1, 2):
        no_goal.steps.create(position=position, label=f"Steg {position}", colour="#fde2e2")
    organisers = [cast.organiser_a.pk, cast.organiser_b.pk]
    scales, goals = ScaleBook(organisers), GoalBook(organisers)
    codes = ["GRGRMAT01", "SVASVA01", "ENGENG01", "NO_SUCH_SUBJECT"]
    for organiser_id in [*organisers, None]:
        for code in codes:
            scale = scales.for_subject(organiser_id, code)
            expected = (scale.pk, goal_position(scale)) if scale else None
            assert goals.for_subject(organiser_id, code) == expected, (organiser_id, code)
    assert goals.for_subject(cast.organiser_a.pk, "GRGRMAT01") == (own.pk, 3)
    assert goals.for_subject(cast.organiser_b.pk, "SVASVA01") == (no_goal.pk, 2)
