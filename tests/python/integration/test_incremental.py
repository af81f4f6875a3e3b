"""Incremental builds: the billing fact (by billing period) and the allocation (by
billing month) rebuild only what changed, and the result equals a full refresh,
row for row, in every table the project builds.

Scenario on ci data: a first build of May 1 - June 9; then June is restated with
one more day (every June billing file re-delivered with new line ids, May left
alone) and an incremental build; then only the telemetry gains the day. After
each incremental build, a copy of the warehouse is rebuilt with --full-refresh
and every table is compared both ways (EXCEPT ALL).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, run_dbt
from itfm.bench import DATED_FILES as DATED
from itfm.bench import MODELS_ONLY, day_before, differing_tables
from itfm.generate import generate
from itfm.load import load

pytestmark = pytest.mark.integration
BILLING = ("focus", "aws_cur", "azure_cost", "gcp_billing", "invoices")
JUNE = re.compile(r"2026-?06")


def _build(database: Path, *args: str):
    result = run_dbt(database, ["build", *args, *MODELS_ONLY])
    assert result.success, result.exception
    return {r.node.name: r for r in result.result.results}


def _copy_files(source: Path, target: Path, keep) -> list[str]:
    copied = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_file() and keep(rel):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / rel)
            copied.append(str(rel))
    return copied


def _full_refresh_copy(database: Path, name: str) -> Path:
    """A copy of the warehouse rebuilt with --full-refresh, in another process
    (this one keeps the warehouse dbt last built open, so the copy is built and
    left closed for `_differences` to attach)."""
    copy = database.parent / name / "itfm.duckdb"
    copy.parent.mkdir()
    con = duckdb.connect(str(database))
    con.execute("checkpoint")
    con.close()
    shutil.copyfile(database, copy)
    env = dict(
        os.environ,
        ITFM_DB=str(copy),
        DBT_TARGET_PATH=str(copy.parent / "dbt_target"),
        DBT_LOG_PATH=str(copy.parent / "dbt_logs"),
    )
    process = subprocess.run(
        [sys.executable, "-m", "itfm.cli", "build", "--target", "ci"]
        + ["--full-refresh", *MODELS_ONLY],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert process.returncode == 0, (process.stdout + process.stderr)[-3000:]
    return copy


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    generate(root / "first", "ci", 40, 7)
    generate(root / "second", "ci", 41, 7)
    landing = root / "landing"
    shutil.copytree(root / "first", landing)
    # The first telemetry is the second's without its last day (as a provider
    # re-delivers a file that gained a day), so step three adds a day and
    # repeats the rest unchanged.
    day_before(root / "second", root / "second_before")
    _copy_files(root / "second_before", landing, lambda rel: rel.parts[0] in DATED)
    database = root / "itfm.duckdb"
    load(database, landing)
    first = _build(database)
    con = duckdb.connect(str(database))
    may_rows_before = con.execute(
        """select x_line_item_id, x_loaded_at from fct_billing_line_items
        where billing_period_start = '2026-05-01' order by 1"""
    ).fetchall()
    con.close()

    # June restated with one more day: billing files only.
    restated = _copy_files(
        root / "second",
        landing,
        lambda rel: (
            rel.parts[0] in BILLING
            and (JUNE.search(str(rel)) or rel.parts[0] == "invoices")
        ),
    )
    load(database, landing)
    after_restatement = _build(database)
    refreshed_restatement = _full_refresh_copy(database, "full_refresh_1")
    con = duckdb.connect(str(database))
    may_rows_after = con.execute(
        """select x_line_item_id, x_loaded_at from fct_billing_line_items
        where billing_period_start = '2026-05-01' order by 1"""
    ).fetchall()
    con.close()
    differences_restatement = differing_tables(database, refreshed_restatement)

    # Then the telemetry gains the day too.
    telemetry = _copy_files(
        root / "second", landing, lambda rel: rel.parts[0] not in BILLING
    )
    load(database, landing)
    after_telemetry = _build(database)
    refreshed_telemetry = _full_refresh_copy(database, "full_refresh_2")
    con = duckdb.connect(str(database))
    month_loads = con.execute(
        """select billing_month, count(distinct x_inputs_loaded_at),
            max(x_inputs_loaded_at)
        from fct_cost_allocated group by 1 order by 1"""
    ).fetchall()
    loads = [
        r[0]
        for r in con.execute(
            "select distinct loaded_at from raw.load_audit order by 1"
        ).fetchall()
    ]
    con.close()
    return {
        "database": database,
        "first": first,
        "restated": restated,
        "after_restatement": after_restatement,
        "differences_restatement": differences_restatement,
        "may_rows": (may_rows_before, may_rows_after),
        "telemetry": telemetry,
        "after_telemetry": after_telemetry,
        "differences_telemetry": differing_tables(database, refreshed_telemetry),
        "month_loads": month_loads,
        "loads": loads,
    }


def test_the_restatement_is_built_incrementally(scenario):
    assert any("aws_cur" in p for p in scenario["restated"])
    assert any("azure_cost" in p for p in scenario["restated"])
    fact = scenario["after_restatement"]["fct_billing_line_items"]
    allocated = scenario["after_restatement"]["int_allocation_split_rows"]
    # The periods to rebuild are read before the statement and written into it.
    changed_periods = "billing_period_start in (cast('"
    assert changed_periods in fact.node.compiled_code
    # The allocation's incremental statement selects no month: its post-hook
    # rebuilds the stale ones, each written once.
    assert "where false" in allocated.node.compiled_code
    assert changed_periods not in (
        scenario["first"]["fct_billing_line_items"].node.compiled_code
    )
    assert "where false" not in (
        scenario["first"]["int_allocation_split_rows"].node.compiled_code
    )
    # The policy checks and the tag coverage read only the months to rebuild,
    # named as literals so that the filter reaches the line-item scans under
    # their views (the policy checks as ranges of their charge days).
    for model, literal in (
        ("int_policy_tag_contexts", "charge_date >= cast('"),
        ("int_policy_resource_days", "charge_date >= cast('"),
        ("fct_policy_violations", "charge_date >= cast('"),
        ("fct_tag_coverage_monthly", "as date) in (cast('"),
    ):
        restated = scenario["after_restatement"][model].node.compiled_code
        assert literal in restated, model
        assert literal not in scenario["first"][model].node.compiled_code, model
    # May's line items were neither re-read nor rewritten: same ids, same load.
    before, after = scenario["may_rows"]
    assert len(before) > 1000 and before == after


def test_incremental_equals_full_refresh_after_a_restatement(scenario):
    assert scenario["differences_restatement"] == {}


def test_incremental_equals_full_refresh_after_new_telemetry(scenario):
    assert any(p.startswith("k8s_usage") for p in scenario["telemetry"])
    allocated = scenario["after_telemetry"]["int_allocation_split_rows"]
    assert "where false" in allocated.node.compiled_code
    # The marts over the allocated rows follow it month by month.
    for follower in (
        "fct_cost_daily_by_owner",
        "fct_showback_monthly",
        "fct_chargeback_statement_lines",
    ):
        assert "billing_month as date) in (cast('" in (
            scenario["after_telemetry"][follower].node.compiled_code
        ), follower
    assert scenario["differences_telemetry"] == {}


def test_new_telemetry_reopens_only_the_month_of_its_new_day(scenario):
    """The telemetry files come again whole, with one more June day; the loader
    keeps the May slices they repeat unchanged, so May's allocation still
    records the first load and only June was rebuilt."""
    first_load, _, telemetry_load = scenario["loads"]
    months = {str(m): (n, loaded) for m, n, loaded in scenario["month_loads"]}
    assert months["2026-05-01"] == (1, first_load)
    assert months["2026-06-01"] == (1, telemetry_load)


def test_the_restated_month_replaced_its_slice(scenario):
    """June holds the second delivery's line items only (no stale rows)."""
    con = duckdb.connect(str(scenario["database"]))
    try:
        days, stale = con.execute(
            """select count(distinct cast(charge_period_start as date))
                filter (charge_category = 'Usage' and charge_class is null
                    and x_source = 'aws_cur'),
                count(*) filter (x_loaded_at < (
                    select max(x_loaded_at) from fct_billing_line_items))
            from fct_billing_line_items
            where billing_period_start = '2026-06-01'"""
        ).fetchone()
    finally:
        con.close()
    assert days == 10 and stale == 0


def test_the_restatement_is_recorded_as_a_period_version(scenario):
    """fct_billing_period_versions: June's slices have a second version whose
    'before' is the first version's 'after'; May's have one; the latest FOCUS
    version's billed cost is what the raw table holds now."""
    con = duckdb.connect(str(scenario["database"]))
    try:
        versions = con.execute(
            """select x_source, billing_period_start, max(period_version),
                list(distinct change_type order by change_type)
            from fct_billing_period_versions
            group by all order by all"""
        ).fetchall()
        broken_chain = con.execute(
            """select count(*) from fct_billing_period_versions as later
            inner join fct_billing_period_versions as earlier
                on later.x_source = earlier.x_source
                and later.slice_key = earlier.slice_key
                and later.period_version = earlier.period_version + 1
            where later.billed_cost_before != earlier.billed_cost_after
                or later.rows_before != earlier.rows_after"""
        ).fetchone()[0]
        latest_vs_raw = con.execute(
            """select count(*) from (
                select billing_account_id, billing_period_start,
                    sum(billed_cost_after) as versions_total
                from fct_billing_period_versions
                where x_source = 'focus' and is_latest_version group by all
            ) as versions
            full outer join (
                select "BillingAccountId" as billing_account_id,
                    cast("BillingPeriodStart" as date) as billing_period_start,
                    sum("BilledCost") as raw_total
                from raw.focus_line_items group by all
            ) as raw using (billing_account_id, billing_period_start)
            where versions_total is distinct from raw_total"""
        ).fetchone()[0]
    finally:
        con.close()
    sources = {"focus", "aws_cur", "azure_cost", "gcp_billing"}
    may = {r[0]: r for r in versions if str(r[1]) == "2026-05-01"}
    june = {r[0]: r for r in versions if str(r[1]) == "2026-06-01"}
    assert set(may) == set(june) == sources
    assert all(r[2] == 1 and r[3] == ["initial"] for r in may.values())
    # Loaded today, long after June ended: a correction of a closed period.
    assert all(
        r[2] == 2 and r[3] == ["closed_period_correction", "initial"]
        for r in june.values()
    )
    assert broken_chain == 0 and latest_vs_raw == 0


def _empty(path: Path) -> None:
    """The file delivered again with its header (a CSV) or its schema (a
    Parquet file) and no rows, as a provider restates a period to nothing."""
    import pyarrow.parquet as pq

    if path.suffix == ".csv":
        path.write_text(path.read_text().splitlines(keepends=True)[0])
    else:
        pq.write_table(pq.read_schema(path).empty_table(), path)


# Telemetry slices of May moved to files of their own (whole slices: the keys
# of itfm.sources), which the last step of `emptied` delivers again empty.
MAY_SLICES = {
    "k8s_usage/pod_usage.parquet": "cluster_name = 'aws-prod-k8s' "
    "and usage_date = '2026-05-20'",
    "business_metrics/daily_metrics.csv": "metric_date = '2026-05-20' "
    "and product = 'storefront'",
    "observability_usage/ingest.csv": "usage_date = '2026-05-20' "
    "and service_name = 'payments-api'",
    "cloud_assets/aws_volumes.csv": "snapshot_date = '2026-05-20'",
    "ci_builds/builds.csv": "build_id = 'b-0000002'",
}


def _split_may_slices(landing: Path) -> list[Path]:
    """Each MAY_SLICES file's chosen slice moved to `<name>_may.<ext>`, the
    rest rewritten in the same order (a CSV's lines as they were)."""
    import pyarrow.parquet as pq

    con = duckdb.connect(config={"threads": 1})  # row_number() in file order
    moved = []
    for rel, where in MAY_SLICES.items():
        path = landing / rel
        target = path.with_name(f"{path.stem}_may{path.suffix}")
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            rows = con.execute(
                f"select list(i order by i) from (select row_number() over () - 1 "
                f"as i, * from read_parquet('{path}')) where {where}"
            ).fetchone()[0]
            assert rows, rel
            keep = sorted(set(range(table.num_rows)) - set(rows))
            pq.write_table(table.take(rows), target)
            pq.write_table(table.take(keep), path)
        else:
            lines = path.read_text().splitlines(keepends=True)
            rows = con.execute(
                f"select list(i order by i) from (select row_number() over () "
                f"as i, * from read_csv('{path}', all_varchar = true)) where {where}"
            ).fetchone()[0]
            assert rows, rel
            target.write_text("".join([lines[0], *(lines[i] for i in rows)]))
            chosen = set(rows)
            path.write_text(
                "".join(line for i, line in enumerate(lines) if i not in chosen)
            )
        moved.append(target)
    con.close()
    return moved


@pytest.fixture(scope="module")
def emptied(tmp_path_factory) -> dict:
    """ci data with every provider's billing as a FOCUS feed, loaded and built;
    then AWS's June restated to no rows (the period keeps the other feeds'
    rows), then every feed's June (the billing month is gone; its telemetry
    stays), then a slice of each telemetry source in May (no May row left
    shows it). Each load with --allow-row-drop, each followed by an
    incremental build and compared with a --full-refresh copy."""
    root = tmp_path_factory.mktemp("emptied")
    landing = root / "landing"
    generate(landing, "ci", 40, 7, billing_format="focus")
    may_slices = _split_may_slices(landing)
    database = root / "itfm.duckdb"
    load(database, landing)
    _build(database)
    june = sorted(landing.glob("focus/*/billing_period=2026-06/*.parquet"))
    steps = {}
    for step, files in (
        ("aws", [p for p in june if p.parts[-3] == "aws"]),
        ("month", [p for p in june if p.parts[-3] != "aws"]),
        ("telemetry", may_slices),
    ):
        assert files, step
        for path in files:
            _empty(path)
        load(database, landing, allow_row_drop=True)
        built = _build(database)
        con = duckdb.connect(str(database))
        june_rows = dict(
            con.execute(
                """select x_feed, count(*) from fct_billing_line_items
                where billing_period_start = '2026-06-01' group by 1"""
            ).fetchall()
        )
        allocated_june = con.execute(
            "select count(*) from fct_cost_allocated where billing_month = '2026-06-01'"
        ).fetchone()[0]
        con.close()
        steps[step] = {
            "built": built,
            "june_rows": june_rows,
            "allocated_june": allocated_june,
            "differences": differing_tables(
                database, _full_refresh_copy(database, f"full_refresh_{step}")
            ),
        }
    return steps


def test_a_source_period_restated_to_no_rows_leaves_the_fact(emptied):
    """AWS's June slice emptied: no other source's row of June changed, but the
    period is rebuilt without AWS's rows, and everything downstream follows."""
    step = emptied["aws"]
    assert "aws" not in step["june_rows"] and step["june_rows"]
    assert step["differences"] == {}


def test_a_billing_month_restated_to_no_rows_leaves_every_table(emptied):
    """Every billing source's June emptied: the fact, the allocation and the
    month-incremental marts hold no June row from billing, as a full refresh."""
    step = emptied["month"]
    assert step["june_rows"] == {} and step["allocated_june"] == 0
    assert step["differences"] == {}


def test_telemetry_slices_restated_to_no_rows_rebuild_their_months(emptied):
    """A slice of each telemetry source emptied in May (Kubernetes usage of a
    cluster's day, a product's metrics, a service's ingest, an inventory
    snapshot, a CI build): no May row that is left moved, yet the allocation
    and the policies of May are rebuilt as a full refresh builds them."""
    step = emptied["telemetry"]
    assert "fct_cost_allocated" in step["built"]
    assert step["differences"] == {}


def test_incremental_equals_full_refresh_on_demo_data(tmp_path):
    """Demo-scale data (two months): built from the data of the day before the
    last, then the last day arrives (the last month's billing files restated with
    one more day, the telemetry files re-delivered whole); the incremental build
    equals a --full-refresh build in every table."""
    landing = tmp_path / "landing"
    generate(landing, "demo", 62, 11, billing_format="focus")
    before = tmp_path / "before"
    day_before(landing, before)
    database = tmp_path / "itfm.duckdb"
    load(database, before)
    _build(database)
    load(database, landing)
    after_day = _build(database)
    fact = after_day["fct_billing_line_items"].node.compiled_code
    assert "billing_period_start in (cast('" in fact
    refreshed = _full_refresh_copy(database, "full_refresh")
    assert differing_tables(database, refreshed) == {}


def test_billing_after_a_build_without_any_reaches_every_table(tmp_path):
    """A first build with telemetry only (no billing export delivered yet, or
    every row of it quarantined): the fact and the tables incremental with it
    exist with no row. The next load brings billing: the incremental build
    reads it (an empty table holds no newest load to compare with) and equals
    a --full-refresh build in every table."""
    generated = tmp_path / "generated"
    generate(generated, "ci", 20, 5)
    landing = tmp_path / "landing"
    _copy_files(generated, landing, lambda rel: rel.parts[0] not in BILLING)
    database = tmp_path / "itfm.duckdb"
    load(database, landing)
    _build(database)
    _copy_files(generated, landing, lambda rel: rel.parts[0] in BILLING)
    load(database, landing)
    _build(database)
    con = duckdb.connect(str(database))
    counts = con.execute(
        """select
            (select count(*) from fct_billing_line_items),
            (select count(*) from int_line_item_totals_monthly),
            (select count(*) from int_line_item_totals_daily)"""
    ).fetchall()[0]
    con.close()
    assert all(count > 0 for count in counts), counts
    refreshed = _full_refresh_copy(database, "full_refresh")
    assert differing_tables(database, refreshed) == {}


PERIOD_COUNTS = (
    "select billing_period_start, count(*) from fct_billing_line_items"
    " group by 1 order by 1"
)


def _run_fact_on_altered_copy(source: Path, tmp_path: Path, statements: list[str]):
    """A copy of `source` with `statements` run on it, then an incremental run
    of the fact: (the fact's rows per period before, dbt's result and message,
    the rows per period after)."""
    con = duckdb.connect(str(source))
    con.execute("checkpoint")
    con.close()
    database = tmp_path / "itfm.duckdb"
    shutil.copyfile(source, database)
    con = duckdb.connect(str(database))
    for statement in statements:
        con.execute(statement)
    before = con.execute(PERIOD_COUNTS).fetchall()
    con.close()
    result = run_dbt(database, ["run", "--select", "fct_billing_line_items"])
    message = " ".join(str(r.message) for r in result.result.results)
    con = duckdb.connect(str(database))
    after = con.execute(PERIOD_COUNTS).fetchall()
    con.close()
    return before, result, message, after


def test_a_table_an_older_model_built_stops_the_incremental_build(
    focus_warehouse, tmp_path
):
    """On DuckDB an incremental build inserts the model's rows straight into
    its table (no temporary table in between): a table whose columns are not
    the model's (built by an earlier itfm) stops the build with ITFM-B008 and
    the advice to rebuild with --full-refresh, before any row is deleted or
    written."""
    before, result, message, after = _run_fact_on_altered_copy(
        focus_warehouse,
        tmp_path,
        [
            "alter table fct_billing_line_items drop column x_product",
            "alter table fct_billing_line_items add column x_retired integer",
        ],
    )
    assert not result.success
    assert "ITFM-B008" in message and "--full-refresh" in message, message
    assert "lacks (x_product)" in message and "lacks (x_retired)" in message
    assert after == before


def test_a_failed_incremental_statement_keeps_the_periods_it_deleted(
    focus_warehouse, tmp_path
):
    """The pre-hook deletes the periods to rebuild and the statement inserts
    them again, in one transaction: when the insert fails, the deleted
    periods come back (here every period is to rebuild, and the table's x_team
    was made an integer column that the owners' names cannot be cast to)."""
    before, result, message, after = _run_fact_on_altered_copy(
        focus_warehouse,
        tmp_path,
        [
            """update fct_billing_line_items
            set x_loaded_at = x_loaded_at - interval 1 day""",
            """alter table fct_billing_line_items
            alter x_team type integer using length(x_team)""",
        ],
    )
    assert not result.success
    assert "Conversion Error" in message, message
    assert len(before) > 1 and after == before
