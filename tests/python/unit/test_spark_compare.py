"""itfm.spark_compare reads a mart written as Parquet (as Spark writes it) and
finds it equal to the DuckDB table, or names the rows that differ."""

from __future__ import annotations

import duckdb
from itfm.spark_compare import compare, failures


def _setup(tmp_path, spark_cost: str = "effective_cost"):
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    con.execute(
        """create table main.fct_cost (
            billing_month date, x_team varchar, effective_cost decimal(38, 10),
            share double, loaded_at timestamp)"""
    )
    con.execute(
        """insert into main.fct_cost values
        ('2026-05-01', 'a', 10.0000000001, 0.1 + 0.2, '2026-06-01 00:00:00'),
        ('2026-06-01', 'b', 3.5, 0.3, '2026-06-01 00:00:00')"""
    )
    folder = tmp_path / "spark" / "main.db" / "fct_cost"
    folder.mkdir(parents=True)
    # Spark's shape: a partition folder per month, the partition column out of
    # the file, its own int and timestamp types, doubles summed in another order.
    con.execute(
        f"""copy (select x_team, {spark_cost} as effective_cost,
                0.3 as share, cast(loaded_at as timestamptz) as loaded_at,
                billing_month
            from main.fct_cost)
        to '{folder}' (format parquet, partition_by (billing_month))"""
    )
    con.close()
    return database, tmp_path / "spark"


def test_equal_marts_pass(tmp_path):
    database, warehouse = _setup(tmp_path)
    result = compare(database, warehouse)
    assert result["fct_cost"] == {"rows": 2, "spark_rows": 2, "differing_rows": 0}
    assert failures(result) == {}


def test_a_tenth_of_a_nanodollar_is_a_difference(tmp_path):
    database, warehouse = _setup(
        tmp_path, "effective_cost + cast(0.0000000001 as decimal(38, 10))"
    )
    result = compare(database, warehouse)
    assert result["fct_cost"]["differing_rows"] == 4
    assert set(failures(result)) == {"fct_cost"}


def test_a_table_missing_on_spark_fails(tmp_path):
    database, warehouse = _setup(tmp_path)
    con = duckdb.connect(str(database))
    con.execute("create table main.fct_other as select 1 as x")
    con.close()
    assert failures(compare(database, warehouse))["fct_other"] == {
        "missing_on_spark": True
    }


def test_a_share_is_compared_to_nine_decimals_and_money_exactly(tmp_path):
    """A decimal share a half-unit of the 12th decimal apart (DuckDB rounds the
    double quotient to even, Spark up) is equal; the same gap in money is not."""
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    con.execute(
        "create table main.fct_split as select "
        "cast(0.132854882812 as decimal(18, 12)) as x_allocation_share, "
        "cast(1.25 as decimal(38, 10)) as effective_cost"
    )
    folder = tmp_path / "spark" / "main.db" / "fct_split"
    folder.mkdir(parents=True)
    con.execute(
        "copy (select cast(0.132854882813 as decimal(18, 12)) as x_allocation_share,"
        f" cast(1.25 as decimal(38, 10)) as effective_cost) to '{folder}/a.parquet'"
    )
    con.execute("create table main.fct_money as select * from main.fct_split")
    money = tmp_path / "spark" / "main.db" / "fct_money"
    money.mkdir(parents=True)
    con.execute(
        "copy (select cast(0.132854882812 as decimal(18, 12)) as x_allocation_share,"
        f" cast(1.2500000001 as decimal(38, 10)) as effective_cost)"
        f" to '{money}/a.parquet'"
    )
    con.close()
    result = compare(database, tmp_path / "spark")
    assert result["fct_split"]["differing_rows"] == 0
    assert set(failures(result)) == {"fct_money"}
