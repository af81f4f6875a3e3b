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


def test_the_two_writes_floor_and_the_storage_by_table(tmp_path):
    """The core path's floor: the plain copy of the files plus a plain copy of
    the built fact, over the reference; the raw copy and the fact in bytes,
    over the landing Parquet; and the fact copy itself copies every row."""
    import duckdb
    from itfm.bench import _floor_figures, fact_copy

    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema raw")
    for table in ("raw.focus_line_items", "main.fct_billing_line_items"):
        con.execute(
            f"create table {table} as select range as x_source_row, "
            "cast(range as decimal(38, 10)) as billed_cost from range(300000)"
        )
    con.close()
    figures = _floor_figures(
        {"reference_core": 10.0, "engine_copy": 15.0, "fact_copy": 20.0},
        warehouse,
        landing_bytes=1_000_000,
    )
    assert figures["engine_floor_ratio"] == 2.5
    assert figures["two_writes_floor_ratio"] == 3.5
    assert figures["raw_copy_to_landing"] > 0
    assert figures["fact_to_landing"] == figures["raw_copy_to_landing"]

    copy = tmp_path / "copy.duckdb"
    fact_copy(str(warehouse), str(copy))
    con = duckdb.connect(str(copy))
    assert con.execute(
        "select count(*), sum(billed_cost) from line_items"
    ).fetchone() == (
        300000,
        sum(range(300000)),
    )
    con.close()
