"""The raw layer as Parquet, for engines that cannot read the DuckDB file (Spark).

`itfm raw-parquet` (run by `itfm build --target spark`) writes every table of
the warehouse's `raw` schema, the loaded exports and telemetry and the load
records (audit, quarantine, slice history), as Parquet under one folder:

    <out>/<table>/<version>/x_source=<source>/billing_period=<YYYY-MM>/*.parquet

Line-item tables whose source declares its billing period (FOCUS, AWS CUR) are
partitioned by source and billing period, telemetry by the month of its date;
the Azure and Google Cloud exports and the load records are not partitioned yet.
A version is written whole into a folder of its own and then named in
`<out>/_current.json`, which is replaced in one rename: a reader sees the old
version or the new one, never half of one. Versions no longer current are
removed after the switch. A table whose DuckDB content is unchanged since its
current version (the same row count and the same newest load) is not
rewritten.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from itfm.load.sql import _quote
from itfm.sources import SOURCES

CURRENT = "_current.json"
# Telemetry tables: the column that dates a row (its month is the partition).
TELEMETRY_DATES = {
    "k8s_pod_usage": "usage_date",
    "business_metrics": "metric_date",
    "ci_builds": "started_at",
    "observability_usage": "usage_date",
    "cloud_assets": "snapshot_date",
    "deployments": "deployed_at",
}


def _billing_periods() -> dict[str, str]:
    """Line-item table -> the column holding its billing period's start."""
    periods = {}
    for source in SOURCES.values():
        if source.billing_period:
            periods[source.table] = source.billing_period[0]
    return periods


def _raw_columns(con, table: str) -> set[str]:
    return {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
    }


def _partitioning(table: str, columns: set[str]) -> tuple[str, list[str]]:
    """The extra select items and the partition columns of one raw table."""
    period = _billing_periods().get(table)
    if period and period in columns and "x_source" in columns:
        # The raw x_source column is the partition itself: Spark reads it back.
        return (
            f"strftime(cast({_quote(period)} as date), '%Y-%m') as billing_period",
            ["x_source", "billing_period"],
        )
    dated = TELEMETRY_DATES.get(table)
    if dated and dated in columns:
        return (
            f"strftime(cast({_quote(dated)} as date), '%Y-%m') as x_month",
            ["x_month"],
        )
    return "", []


def _signature(con, table: str, columns: set[str]) -> list:
    newest = "max(x_loaded_at)" if "x_loaded_at" in columns else "null"
    count, loaded = con.execute(
        f"select count(*), cast({newest} as varchar) from raw.{_quote(table)}"
    ).fetchone()
    return [count, loaded, sorted(columns)]


def export_raw(database: Path, out: Path) -> dict[str, dict]:
    """Write the raw schema of `database` as Parquet under `out`; return the
    current manifest (table -> {path, partitions, rows})."""
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / CURRENT
    current = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    con = duckdb.connect(str(database), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'raw' order by 1"
            ).fetchall()
        ]
        manifest = {}
        for table in tables:
            columns = _raw_columns(con, table)
            signature = _signature(con, table, columns)
            kept = current.get(table)
            if (
                kept
                and kept.get("signature") == signature
                and (out / kept["path"]).exists()
            ):
                manifest[table] = kept
                continue
            version, partitions = _write_table(con, out, table, columns, signature)
            manifest[table] = {
                "path": f"{table}/{version}",
                "partitions": partitions,
                "rows": signature[0],
                "signature": signature,
            }
    finally:
        con.close()
    staged = out / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    staged.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(staged, manifest_path)  # the switch: one rename
    for table in tables:
        keep = manifest[table]["path"]
        for folder in (out / table).iterdir():
            if f"{table}/{folder.name}" != keep:
                shutil.rmtree(folder, ignore_errors=True)
    return manifest


def _write_table(con, out: Path, table: str, columns, signature) -> tuple[str, list]:
    """One raw table as a new version folder of Parquet (partitioned where it
    has a partition column); returns (version, partition columns)."""
    version = uuid.uuid4().hex[:12]
    folder = out / table / version
    extra, partitions = _partitioning(table, columns)
    select = f"select *{', ' + extra if extra else ''} from raw.{_quote(table)}"
    options = "format parquet, compression zstd"
    if partitions:
        options += f", partition_by ({', '.join(partitions)})"
    folder.mkdir(parents=True)
    if signature[0] == 0 and partitions:
        # No rows: one unpartitioned file with the schema, partition
        # columns included (a partitioned copy writes no file, and an
        # empty folder has no schema to read; without them, a model
        # reading the raw x_source of, say, a FOCUS-only landing's empty
        # CUR table failed on Spark).
        con.execute(f"copy ({select}) to '{folder / 'empty.parquet'}' (format parquet)")
        partitions = []
    elif partitions:
        con.execute(f"copy ({select}) to '{folder}' ({options})")
    else:
        data = folder / "data.parquet"
        con.execute(f"copy ({select}) to '{data}' ({options})")
    return version, partitions


def spark_tables(out: Path) -> dict[str, dict]:
    """The current manifest as the dbt var `raw_parquet_tables` reads it:
    table -> {location (absolute), partitions}."""
    manifest = json.loads((out / CURRENT).read_text())
    return {
        table: {
            "location": str((out / entry["path"]).resolve()),
            "partitions": entry["partitions"],
        }
        for table, entry in manifest.items()
    }
