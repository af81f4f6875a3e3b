"""The raw layer as Parquet (itfm.raw_parquet): every raw table written whole in
a version of its own, switched by one rename of the manifest, partitioned by
source and billing period, and not rewritten when unchanged."""

from __future__ import annotations

import json

import duckdb
from itfm.raw_parquet import CURRENT, export_raw, spark_tables


def _warehouse(path, rows: int = 3):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists raw")
    con.execute(
        """create or replace table raw.focus_line_items as
        select 'focus' as x_source, 'acct' as "BillingAccountId",
            timestamp '2026-05-01' + to_months(cast(i % 2 as integer))
                as "BillingPeriodStart",
            cast(i as decimal(38, 10)) / 3 as "BilledCost",
            timestamp '2026-06-02 10:00:00' as x_loaded_at
        from range(?) as t(i)""",
        [rows],
    )
    con.execute(
        "create or replace table raw.load_quarantine as "
        "select 'f.csv' as x_source_file, 1 as x_source_line where false"
    )
    con.close()


def test_every_raw_table_is_written_partitioned_and_read_back_exactly(tmp_path):
    database = tmp_path / "w.duckdb"
    _warehouse(database)
    out = tmp_path / "raw"
    manifest = export_raw(database, out)
    assert set(manifest) == {"focus_line_items", "load_quarantine"}
    assert manifest["focus_line_items"]["partitions"] == ["x_source", "billing_period"]
    folder = out / manifest["focus_line_items"]["path"]
    assert {p.name for p in folder.iterdir()} == {"x_source=focus"}
    assert {p.name for p in (folder / "x_source=focus").iterdir()} == {
        "billing_period=2026-05",
        "billing_period=2026-06",
    }
    con = duckdb.connect(str(database), read_only=True)
    differing = con.execute(
        f"""select count(*) from (
            (select x_source, "BillingAccountId", "BillingPeriodStart", "BilledCost"
             from raw.focus_line_items
             except all
             select x_source, "BillingAccountId", "BillingPeriodStart", "BilledCost"
             from read_parquet('{folder}/**/*.parquet', hive_partitioning = true)))"""
    ).fetchone()[0]
    empty = out / manifest["load_quarantine"]["path"]
    columns = con.execute(
        f"select * from read_parquet('{empty}/*.parquet')"
    ).description
    con.close()
    assert differing == 0
    assert [c[0] for c in columns] == ["x_source_file", "x_source_line"]
    tables = spark_tables(out)
    assert tables["focus_line_items"]["location"] == str(folder.resolve())


def test_an_unchanged_table_is_kept_and_a_changed_one_replaced(tmp_path):
    database = tmp_path / "w.duckdb"
    _warehouse(database)
    out = tmp_path / "raw"
    first = export_raw(database, out)
    again = export_raw(database, out)
    assert again["focus_line_items"]["path"] == first["focus_line_items"]["path"]
    _warehouse(database, rows=5)
    third = export_raw(database, out)
    assert third["focus_line_items"]["path"] != first["focus_line_items"]["path"]
    assert third["focus_line_items"]["rows"] == 5
    # The old version is gone once the manifest names the new one.
    assert not (out / first["focus_line_items"]["path"]).exists()
    assert json.loads((out / CURRENT).read_text()) == third
    assert not list(out.glob(f".{CURRENT}.*"))


def test_an_empty_partitioned_table_keeps_every_column(tmp_path):
    """A landing with no CUR files leaves raw.aws_cur_line_items empty: its copy
    is one file holding every raw column, x_source and the billing period too
    (Spark reads the schema from it; partition folders there are none)."""
    database = tmp_path / "w.duckdb"
    _warehouse(database, rows=0)
    out = tmp_path / "raw"
    manifest = export_raw(database, out)
    entry = manifest["focus_line_items"]
    assert entry["partitions"] == [] and entry["rows"] == 0
    con = duckdb.connect()
    names = [
        c[0]
        for c in con.execute(
            f"select * from read_parquet('{out / entry['path']}/*.parquet')"
        ).description
    ]
    con.close()
    assert names[0] == "x_source" and "BilledCost" in names
    assert "billing_period" in names
