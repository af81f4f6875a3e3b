"""Compare every mart built on Spark with the same mart built on DuckDB.

`itfm spark-compare` reads the Spark tables as the Parquet files they are (the
warehouse folder, `main.db/<table>/`) into DuckDB beside the DuckDB warehouse
and compares them row for row (EXCEPT ALL both ways):

* money (DECIMAL) and every other exact type exactly;
* ratios and other DOUBLE columns to 9 decimals (differences of floating-point
  evaluation order), and so the DECIMAL shares (columns named `*_share`): a
  share is a double quotient cast to decimal(18, 12), and where the quotient
  falls exactly on the half of the 12th decimal DuckDB rounds it to even and
  Spark up (1e-12 apart; the amounts split by them were equal on the ci data);
* the forecasts like every other money: the Python models round them to the
  cent and the marts cast them with money_from_cents, so they are equal
  exactly (a forecast double cast straight to ten decimals had differed by
  1e-10 on 15 of 2,392 rows at 1m: the engines convert doubles differently).

Returns the differing tables; an empty dict is a pass.
"""

from __future__ import annotations

from pathlib import Path

# Tables compared: the marts and reports (contract-enforced fct_/dim_/rpt_) and
# the line-level core tables that feed them (fct_cost_allocated is a view over
# the fact and int_allocation_split_rows: its stored rows are compared).
PREFIXES = ("fct_", "dim_", "rpt_")
ALSO_COMPARED = ("int_allocation_split_rows",)
DOUBLE_DECIMALS = 9
SHARE_SUFFIX = "_share"
# Columns that differ by nature between two builds (when each was built).
SKIPPED_COLUMNS = {"x_built_at"}


def _columns(con, relation: str) -> list[tuple[str, str]]:
    return [
        (row[0], row[1])
        for row in con.execute(f"describe select * from {relation}").fetchall()
    ]


def _normalized(columns: list[tuple[str, str]]) -> str:
    items = []
    for name, kind in sorted(columns):
        if name in SKIPPED_COLUMNS:
            continue
        quoted = f'"{name}"'
        kind = kind.upper()
        share = kind.startswith("DECIMAL") and name.endswith(SHARE_SUFFIX)
        if kind in ("DOUBLE", "FLOAT", "REAL") or share:
            items.append(f"round({quoted}, {DOUBLE_DECIMALS}) as {quoted}")
        elif kind.startswith("TIMESTAMP"):
            items.append(f"cast({quoted} as timestamp) as {quoted}")
        elif kind in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
            items.append(f"cast({quoted} as bigint) as {quoted}")
        elif kind == "DATE":
            items.append(f"cast({quoted} as date) as {quoted}")
        else:
            items.append(f"cast({quoted} as varchar) as {quoted}")
    return ", ".join(items)


def compare(database: Path, spark_warehouse: Path) -> dict[str, dict]:
    """Per mart: rows on each engine and rows differing (both ways)."""
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' and table_type = 'BASE TABLE' "
                "order by 1"
            ).fetchall()
            if row[0].startswith(PREFIXES) or row[0] in ALSO_COMPARED
        ]
        result = {}
        for table in tables:
            folder = spark_warehouse / "main.db" / table
            files = list(folder.rglob("*.parquet")) if folder.exists() else []
            if not files:
                result[table] = {"missing_on_spark": True}
                continue
            spark = (
                f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true, "
                "union_by_name = true)"
            )
            duck_columns = _columns(con, f"main.{table}")
            spark_columns = dict(_columns(con, spark))
            missing = [n for n, _ in duck_columns if n not in spark_columns]
            if missing:
                result[table] = {"columns_missing_on_spark": missing}
                continue
            left = f"(select {_normalized(duck_columns)} from main.{table})"
            right = f"(select {_normalized(duck_columns)} from {spark})"
            differing = con.execute(
                f"select count(*) from ((select * from {left} except all "
                f"select * from {right}) union all (select * from {right} "
                f"except all select * from {left}))"
            ).fetchone()[0]
            rows = con.execute(f"select count(*) from main.{table}").fetchone()[0]
            spark_rows = con.execute(f"select count(*) from {spark}").fetchone()[0]
            result[table] = {
                "rows": rows,
                "spark_rows": spark_rows,
                "differing_rows": differing,
            }
        return result
    finally:
        con.close()


def failures(result: dict[str, dict]) -> dict[str, dict]:
    return {
        table: check
        for table, check in result.items()
        if check.get("differing_rows", 1) != 0
    }


def report(result: dict[str, dict]) -> str:
    lines = [f"{'table':<44}{'duckdb':>10}{'spark':>10}{'differing':>11}"]
    for table, check in result.items():
        if "rows" in check:
            lines.append(
                f"{table:<44}{check['rows']:>10,}{check['spark_rows']:>10,}"
                f"{check['differing_rows']:>11,}"
            )
        else:
            lines.append(f"{table:<44} {check}")
    bad = failures(result)
    lines.append(
        f"{len(result)} tables compared, {len(bad)} differ"
        + (f": {', '.join(bad)}" if bad else "")
    )
    return "\n".join(lines)
