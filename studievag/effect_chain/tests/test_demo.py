"""The demo's chains: Skövde's under its plan for education, linked to Skaraborg's, with
indicators that have moved since their baseline."""

import pytest
from django.contrib.auth.models import User

from studievag.demo.services import demo_seed
from studievag.effect_chain.models import EffectChain
from studievag.effect_chain.selectors import chain_view

pytestmark = pytest.mark.demo


@pytest.mark.django_db
def test_demo_chains_have_indicators_that_moved_since_their_baseline():
    demo_seed(students=80)
    skovde = EffectChain.objects.get(organiser__name="Skövde kommun")
    skaraborg = EffectChain.objects.get(region__name="Skaraborg")
    assert skovde.regional_chain == skaraborg
    assert skovde.education_plan.programme.code == "IMS"
    assert {n.level for n in skovde.nodes.all()} == {"desired_state", "student_effect", "change", "activity"}
    assert skovde.notes.values("theme").distinct().count() >= 4
    view = chain_view(User.objects.get(username="organiser_analyst"), skovde)
    assert view.figures_shown
    moved = [
        lv
        for lv in view.links
        if lv.link.baseline_value is not None
        and lv.current is not None
        and lv.current.value is not None
        and lv.current.value != lv.link.baseline_value
    ]
    # With a small demo some figures are hidden; staff training has moved in any size.
    assert len(moved) >= 2
    assert "staff_language_developing" in {lv.link.indicator for lv in moved}
    assert all(lv.targets for lv in view.links)
    # The analyst reads the region's chain but not the region's figures.
    assert chain_view(User.objects.get(username="organiser_analyst"), skaraborg).figures_shown is False
    assert chain_view(User.objects.get(username="regional_coordinator"), skaraborg).figures_shown is True
