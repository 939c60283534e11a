import datetime

from hypothesis import given
from hypothesis import strategies as st

from studievag.surveys import rules


def test_time_in_sweden_is_counted_at_the_start_of_the_term():
    start = datetime.date(2026, 8, 1)
    assert rules.time_in_sweden_band("SE", None, start) == "born_in_sweden"
    assert rules.time_in_sweden_band("SY", None, start) == "unknown"
    assert rules.time_in_sweden_band("SY", datetime.date(2025, 8, 2), start) == "lt1"
    assert rules.time_in_sweden_band("SY", datetime.date(2025, 8, 1), start) == "1to2"
    assert rules.time_in_sweden_band("SY", datetime.date(2023, 1, 1), start) == "2to4"
    assert rules.time_in_sweden_band("SY", datetime.date(2022, 8, 1), start) == "4plus"


def test_age_band_is_the_age_in_the_calendar_year_of_the_wave():
    assert rules.age_band(datetime.date(2010, 12, 31), 2026) == "le16"
    assert rules.age_band(datetime.date(2009, 1, 1), 2026) == "17"
    assert rules.age_band(datetime.date(2008, 6, 1), 2026) == "18"
    assert rules.age_band(datetime.date(2005, 6, 1), 2026) == "19plus"


def _attrs(programme="IMS", gender="female", tis="lt1", age="17"):
    return {"programme": programme, "gender": gender, "time_in_sweden": tis, "age_band": age}


def test_generalise_keeps_every_detail_a_group_shares():
    others = [_attrs() for _i in range(5)]
    assert rules.generalise(_attrs(), others, 5) == _attrs()


def test_generalise_blanks_the_finest_details_first():
    others = [_attrs(age=str(a)) for a in ("17", "18", "18", "18", "18")]
    # Only one 17-year-old: the age goes, the rest stays.
    assert rules.generalise(_attrs(), others, 5) == _attrs(age="unknown")


def test_generalise_blanks_everything_in_a_unit_smaller_than_the_minimum():
    others = [_attrs() for _i in range(3)]
    assert rules.generalise(_attrs(), others, 5) == {a: "unknown" for a in rules.ATTRIBUTES}


attributes = st.builds(
    _attrs,
    programme=st.sampled_from(["IMS", "IMV", "IMA"]),
    gender=st.sampled_from(["female", "male", "other"]),
    tis=st.sampled_from(["lt1", "1to2", "born_in_sweden"]),
    age=st.sampled_from(["le16", "17", "18", "19plus"]),
)


@given(st.lists(attributes, min_size=1, max_size=40), st.integers(min_value=5, max_value=8))
def test_a_generalised_answer_always_matches_the_minimum_or_names_nothing(group, k):
    for attrs in group:
        out = rules.generalise(attrs, group, k)
        known = {a: v for a, v in out.items() if v != rules.UNKNOWN}
        matches = sum(1 for o in group if all(o[a] == v for a, v in known.items()))
        assert matches >= k or not known


def test_a_small_unit_is_pooled_over_waves_until_it_reaches_the_minimum():
    blocks = rules.pool_blocks([(1, 3), (2, 12), (3, 2), (4, 2), (5, 1), (6, 9), (7, 4)], 5)
    assert [(b.waves, b.respondents) for b in blocks] == [((1, 2), 15), ((3, 4, 5), 5), ((6,), 9)]
    assert rules.block_for(blocks, 7) is None  # an unfinished pool stays hidden
    assert rules.block_for(blocks, 4).pooled


@given(st.lists(st.integers(min_value=0, max_value=12), max_size=12), st.integers(min_value=5, max_value=7))
def test_pools_never_overlap_and_reach_the_minimum_and_later_waves_never_change_them(counts, k):
    waves = list(enumerate(counts))
    blocks = rules.pool_blocks(waves, k)
    seen = [w for b in blocks for w in b.waves]
    assert len(seen) == len(set(seen))
    assert all(b.respondents >= k for b in blocks)
    # A wave is never both shown alone and part of a pool.
    assert all(len(b.waves) == 1 or all(dict(waves)[w] < k or w != b.waves[0] for w in b.waves) for b in blocks)
    # Adding a wave only adds blocks at the end.
    more = rules.pool_blocks(waves + [(len(waves), k)], k)
    assert more[: len(blocks)] == blocks
