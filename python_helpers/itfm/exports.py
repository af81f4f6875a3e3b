"""`itfm export`: the marts finance and BI tools read, as files.

Which marts are exported is declared once, in the dbt exposure `finance_exports`
(`models/exposures.yml`); each build records the exposures' models in
`main.itfm_exposure_models` (the on-run-end hook `record_build_run`), so the
export follows the build that made the tables. `data_dictionary.csv` beside
the files names every exported table's columns with their type and description
(from the dbt manifest of the project).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from itfm.errors import ItfmError
from itfm.project import database_path, project_dir
from itfm.validate import open_built_warehouse

EXPOSURE = "finance_exports"


def exported_marts(con, exposure: str = EXPOSURE) -> list[str]:
    """The models of `exposure` as the warehouse's last build recorded them."""
    import duckdb

    try:
        rows = con.execute(
            "select model from main.itfm_exposure_models where exposure = ? "
            "order by model",
            [exposure],
        ).fetchall()
    except duckdb.Error:
        rows = []
    if not rows:
        raise ItfmError(
            "ITFM-E001",
            f"the warehouse records no models for the exposure {exposure!r} "
            "(built by an older itfm?): run `itfm build`",
        )
    return [row[0] for row in rows]


def export(target: str, out: Path) -> list[Path]:
    """Write the exported marts as CSV and Parquet, and one CSV statement per
    cost center and month under statements/<month>/."""
    import duckdb

    out = out.resolve()
    con = open_built_warehouse(database_path(target))
    written = []
    try:
        marts = exported_marts(con)
        for mart in marts:
            for fmt, suffix in (("csv, header true", "csv"), ("parquet", "parquet")):
                path = out / suffix / f"{mart}.{suffix}"
                path.parent.mkdir(parents=True, exist_ok=True)
                con.execute(
                    f"copy (select * from main.{mart}) to '{path}' (format {fmt})"
                )
                written.append(path)
        written.append(_data_dictionary(con, marts, out / "data_dictionary.csv"))
        statements = con.execute(
            """
            select distinct x_cost_center, strftime(billing_month, '%Y-%m')
            from main.fct_chargeback_statement_lines
            """
        ).fetchall()
        for cost_center, month in statements:
            path = out / "statements" / month / f"{cost_center}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            con.execute(
                f"""
                copy (
                    select * exclude (x_inputs_loaded_at)
                    from main.fct_chargeback_statement_lines
                    where x_cost_center = ?
                      and strftime(billing_month, '%Y-%m') = ?
                    order by x_team, service_name, charge_category, statement_rule_id
                ) to '{path}' (format csv, header true)
                """,
                [cost_center, month],
            )
            written.append(path)
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0]
        raise ItfmError("ITFM-E001", first) from None
    finally:
        con.close()
    return written


STATEMENTS = "statements/<YYYY-MM>/<cost center>.csv"


def _data_dictionary(con, marts: list[str], path: Path) -> Path:
    """One row per exported table and column: file, type (as the warehouse
    holds it) and description (the dbt manifest's; blank without one). The
    statement files are fct_chargeback_statement_lines' rows without
    x_inputs_loaded_at."""
    descriptions = _column_descriptions()
    rows = []
    tables = [
        (mart, mart, [f"csv/{mart}.csv", f"parquet/{mart}.parquet"]) for mart in marts
    ]
    tables.append((STATEMENTS, "fct_chargeback_statement_lines", [STATEMENTS]))
    for name, model, files in tables:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'main' and table_name = ? order by ordinal_position",
            [model],
        ).fetchall()
        for column, data_type in columns:
            if name == STATEMENTS and column == "x_inputs_loaded_at":
                continue
            described = descriptions.get((model, column), "")
            rows.append([name, " ".join(files), column, data_type, described])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["table", "files", "column", "data_type", "description"])
        writer.writerows(rows)
    return path


def _column_descriptions() -> dict[tuple[str, str], str]:
    """(model, column) -> description, from the project's target/manifest.json
    (docs blocks rendered); empty when the project was not parsed."""
    manifest = project_dir() / "target" / "manifest.json"
    if not manifest.exists():
        return {}
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return {
        (node["name"], column): " ".join(spec.get("description", "").split())
        for node in nodes
        if node.get("resource_type") == "model"
        for column, spec in node.get("columns", {}).items()
    }


def focus_export(target: str, out: Path, version: str) -> Path:
    """The billing fact in FOCUS `version` columns, under `out`/focus/."""
    from itfm.focus_export import export_focus

    con = open_built_warehouse(database_path(target))
    try:
        return export_focus(con, out.resolve() / "focus", version)
    finally:
        con.close()
