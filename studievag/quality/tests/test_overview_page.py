"""The group-level overview for analysts and coordinators: counts, small ones hidden."""

import pytest
from django.urls import reverse

from studievag.testing import make_student

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("quality:overview")


def rows(response):
    return {r.unit.name: (r.cells, r.total) for r in response.context["rows"]}


def test_the_analyst_sees_own_organisers_units_with_small_counts_hidden(cast, login):
    response = login(cast.analyst).get(OVERVIEW)

    # School A has 3 IMS students this term: too few to show, so the total is hidden too,
    # and a hidden total takes its whole line with it (even the empty programmes).
    [(name, (cells, total))] = rows(response).items()
    assert name == "Skola A IM"
    assert dict(zip(response.context["programmes"], cells, strict=True)) == {
        "IMS": "..",
        "IMY": "..",
        "IMV": "..",
        "IMA": "..",
    }
    assert total == ".."


def test_counts_of_five_or_more_are_shown(cast, login):
    for _ in range(3):
        make_student(cast.unit_a, programme="IMS")
    for _ in range(5):
        make_student(cast.unit_a, programme="IMY")

    cells, total = rows(login(cast.analyst).get(OVERVIEW))["Skola A IM"]

    codes = list(login(cast.analyst).get(OVERVIEW).context["programmes"])
    assert dict(zip(codes, cells, strict=True))["IMS"] == "6"
    assert dict(zip(codes, cells, strict=True))["IMY"] == "5"
    assert total == "11"


def test_the_coordinator_sees_every_unit_in_the_region_but_no_compulsory_school(cast, login):
    names = set(rows(login(cast.coordinator).get(OVERVIEW)))

    assert names == {"Skola A IM", "Skola B IM"}


def test_the_overview_names_no_student(cast, login):
    html = login(cast.coordinator).get(OVERVIEW).content.decode()

    for name in ("Alice", "Adam", "Petra", "Bertil"):
        assert name not in html
