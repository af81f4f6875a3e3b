"""What dbt Python models need on both engines: DuckDB (dbt-duckdb hands the
model a DuckDB connection and relations) and Spark (a SparkSession and Spark
DataFrames; run in the dbt process by itfm.spark_session)."""

from __future__ import annotations


def to_pandas(frame):
    """A pandas DataFrame from what dbt.ref() returned on either engine."""
    if hasattr(frame, "toPandas"):  # Spark
        return frame.toPandas()
    return frame.df()  # DuckDB relation


def previous_rows(dbt, session, columns: list[str]):
    """This model's table from the last build (its `columns`), or None when the
    table does not exist yet or lacks one of them (a table an older release
    built: the model then computes every row)."""
    relation = dbt.this
    names = ", ".join(columns)
    if hasattr(session, "catalog"):  # Spark
        table = f"{relation.schema}.{relation.identifier}"
        if not session.catalog.tableExists(table):
            return None
        if not set(columns) <= set(session.table(table).columns):
            return None
        return session.sql(f"select {names} from {table}").toPandas()
    found = session.execute(
        "select count(distinct column_name) from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "and list_contains(?, column_name)",
        [relation.database, relation.schema, relation.identifier, columns],
    ).fetchone()[0]
    if found != len(set(columns)):
        return None
    return session.execute(f"select {names} from {relation}").df()
