"""The benchmark's memory target: itfm's own stages against the scale's limit."""

from itfm.bench import _peak


def test_the_peak_is_itfm_s_own_stages_not_the_reference():
    stages = {
        "load": {"peak_mib": 4636},
        "dbt_models": {"peak_mib": 6100},
        "dbt_incremental": {"peak_mib": 6300},
        "reference_core": {"peak_mib": 13727},
        "generate": {"peak_mib": 9000},
    }
    assert _peak("medium", stages) == (6300, 6144)


def test_large_has_the_8_gib_target_and_smaller_scales_6():
    stages = {"dbt_models": {"peak_mib": 7000}}
    assert _peak("large", stages) == (7000, 8192)
    assert _peak("1m", stages) == (7000, 6144)


def test_the_build_with_nothing_new_is_reported_beside_the_incremental_one():
    from itfm.bench import _incremental_figures

    figures = _incremental_figures(
        {"dbt_incremental": 30.0, "dbt_nothing_new": 15.0}, full_build=60.0
    )
    assert figures == {
        "incremental_build_seconds": 30.0,
        "incremental_share_of_full": 0.5,
        "nothing_new_build_seconds": 15.0,
        "nothing_new_share_of_full": 0.25,
    }
