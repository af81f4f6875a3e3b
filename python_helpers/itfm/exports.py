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

from itfm.errors import ItfmError, first_line
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
    """Write the exported marts as CSV and Parquet, and one statement per cost
    center and month under statements/<month>/ (CSV and XLSX)."""
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
        written += _statements(con, out)
    except duckdb.Error as error:
        first = first_line(error)
        raise ItfmError("ITFM-E001", first) from None
    finally:
        con.close()
    return written


STATEMENTS = "statements/<YYYY-MM>/<cost center>.csv"
STATEMENT_MODEL = "rpt_chargeback_statement_lines"
# The statement files' columns: rpt_chargeback_statement_lines without its ids,
# the exact amount and the minor unit (the amount is written with that many
# decimals). A last row holds the statement's total.
STATEMENT_COLUMNS = (
    "statement_month",
    "cost_center",
    "cost_center_name",
    "business_unit",
    "team",
    "service_name",
    "charge_category",
    "allocation_method",
    "rule_id",
    "rule_name",
    "charged_cost_basis",
    "charged_amount",
    "currency",
    "is_charged_back",
)
TOTAL_LABEL = "Statement total"


def _statements(con, out: Path) -> list[Path]:
    """One CSV and one XLSX per cost center and month: the rounded lines
    (rpt_chargeback_statement_lines), then a total row, their sum."""
    written = []
    keys = con.execute(
        f"select distinct cost_center, statement_month from main.{STATEMENT_MODEL} "
        "order by all"
    ).fetchall()
    for cost_center, month in keys:
        header, rows = _statement_rows(con, cost_center, month)
        path = out / "statements" / month / f"{cost_center}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        written += [path, _statement_workbook(path.with_suffix(".xlsx"), header, rows)]
    return written


def _statement_rows(con, cost_center: str, month: str) -> tuple[list, list]:
    """The statement's lines, ordered, and its total row; amounts as decimals
    with the currency's minor unit of digits."""
    digits = con.execute(
        f"select max(currency_minor_units) from main.{STATEMENT_MODEL} "
        "where cost_center = ? and statement_month = ?",
        [cost_center, month],
    ).fetchone()[0]
    columns = ", ".join(
        f"cast(charged_amount as decimal(38, {int(digits)})) as charged_amount"
        if column == "charged_amount"
        else column
        for column in STATEMENT_COLUMNS
    )
    result = con.execute(
        f"""
        select {columns} from main.{STATEMENT_MODEL}
        where cost_center = ? and statement_month = ?
        order by team, service_name, charge_category, rule_id, statement_line_id
        """,
        [cost_center, month],
    )
    header = [d[0] for d in result.description]
    rows = [list(row) for row in result.fetchall()]
    total = {name: "" for name in header}
    first = dict(zip(header, rows[0], strict=True))
    for name in (
        "statement_month",
        "cost_center",
        "cost_center_name",
        "business_unit",
        "charged_cost_basis",
        "currency",
        "is_charged_back",
    ):
        total[name] = first[name]
    total["rule_name"] = TOTAL_LABEL
    total["charged_amount"] = sum(row[header.index("charged_amount")] for row in rows)
    return header, rows + [[total[name] for name in header]]


def _statement_workbook(path: Path, header: list[str], rows: list[list]) -> Path:
    """The statement as an Excel workbook: one sheet, the header frozen, the
    amounts as numbers with the statement's decimals, the total row bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    # Excel refuses []:*?/\ in a sheet name and more than 31 characters.
    sheet.title = "".join("_" if c in "[]:*?/\\" else c for c in path.stem)[:31]
    sheet.append(header)
    amount = header.index("charged_amount")
    digits = max(-row[amount].as_tuple().exponent for row in rows)
    number_format = "#,##0" + ("." + "0" * digits if digits else "")
    for row in rows:
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=amount + 1).number_format = number_format
    for cell in sheet[1] + sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = max(len(str(name)), *(len(str(row[index - 1])) for row in rows))
        sheet.column_dimensions[
            sheet.cell(row=1, column=index).column_letter
        ].width = min(width + 2, 60)
    book.save(path)
    return path


def _data_dictionary(con, marts: list[str], path: Path) -> Path:
    """One row per exported table and column: file, type (as the warehouse
    holds it) and description (the dbt manifest's; blank without one). The
    statement files hold STATEMENT_COLUMNS of rpt_chargeback_statement_lines."""
    descriptions = _column_descriptions()
    rows = []
    tables = [
        (mart, mart, [f"csv/{mart}.csv", f"parquet/{mart}.parquet"]) for mart in marts
    ]
    statement_files = [STATEMENTS, STATEMENTS.replace(".csv", ".xlsx")]
    tables.append((STATEMENTS, STATEMENT_MODEL, statement_files))
    for name, model, files in tables:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'main' and table_name = ? order by ordinal_position",
            [model],
        ).fetchall()
        for column, data_type in columns:
            if name == STATEMENTS and column not in STATEMENT_COLUMNS:
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
