"""`itfm validate`: the finance expectation suites as a Great Expectations
checkpoint over the reconciliation, statement and scorecard marts, with Data
Docs that open offline.

The marts are read from DuckDB into pandas DataFrames (GX through SQLAlchemy on
DuckDB is broken: GX issues 10738 and 11579). The same invariants are dbt tests,
so `dbt build` fails on them too.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from itfm.errors import ItfmError

ASSETS = Path(__file__).resolve().parent / "data_docs_assets"
# CDN links in GX Data Docs -> vendored files (relative to the site root).
CDN_ASSETS = {
    r"https://maxcdn\.bootstrapcdn\.com/bootstrap/4\.3\.1/css/bootstrap\.min\.css": (
        "css/bootstrap.min.css"
    ),
    r"https://stackpath\.bootstrapcdn\.com/bootstrap/4\.3\.1/js/bootstrap\.min\.js": (
        "js/bootstrap.min.js"
    ),
    r"https://code\.jquery\.com/jquery-3\.7\.1\.min\.js": "js/jquery.min.js",
    r"https://cdnjs\.cloudflare\.com/ajax/libs/popper\.js/1\.12\.9/umd/"
    r"popper\.min\.js": "js/popper.min.js",
    r"https://unpkg\.com/bootstrap-table@1\.19\.\d/dist/bootstrap-table\.min\.css": (
        "css/bootstrap-table.min.css"
    ),
    r"https://unpkg\.com/bootstrap-table@1\.19\.\d/dist/bootstrap-table\.min\.js": (
        "js/bootstrap-table.min.js"
    ),
    r"https://unpkg\.com/bootstrap-table@1\.19\.\d/dist/extensions/filter-control/"
    r"bootstrap-table-filter-control(\.min)?\.css": (
        "css/bootstrap-table-filter-control.min.css"
    ),
    r"https://unpkg\.com/bootstrap-table@1\.19\.\d/dist/extensions/filter-control/"
    r"bootstrap-table-filter-control\.min\.js": (
        "js/bootstrap-table-filter-control.min.js"
    ),
    r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/1\.9\.0/css/"
    r"bootstrap-datepicker\.min\.css": "css/bootstrap-datepicker.min.css",
    r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/1\.9\.0/js/"
    r"bootstrap-datepicker\.min\.js": "js/bootstrap-datepicker.min.js",
    r"https://cdnjs\.cloudflare\.com/ajax/libs/font-awesome/6\.6\.0/css/"
    r"all\.min\.css": "css/fontawesome.all.min.css",
}
# Links dropped: charts, the dark theme and the remote logo.
CDN_DROPPED = [
    r'<script[^>]+src="https://cdn\.jsdelivr\.net/npm/vega[^"]*"[^>]*>\s*</script>',
    r'<link[^>]+href="https://cdn\.jsdelivr\.net/npm/@forevolve/[^"]*"[^>]*>',
]
REMOTE_LOGO = r'src="https://great-expectations-web-assets\.[^"]*"'


@dataclass
class Failure:
    suite: str
    expectation: str
    column: str | None
    detail: str


@dataclass
class Outcome:
    success: bool
    docs_index: Path
    evaluated: int = 0
    failures: list[Failure] = field(default_factory=list)
    # The provider's data problems (fct_data_quality_monthly), per check:
    # (check_code, check_level, subjects flagged, billed cost). Reported, never
    # a failure: the rows are kept and flagged.
    data_quality: list[tuple] = field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"finance validation: {self.evaluated} expectations, "
            f"{len(self.failures)} failed",
            f"Data Docs: {self.docs_index}",
        ]
        for failure in self.failures:
            column = f" [{failure.column}]" if failure.column else ""
            lines.append(
                f"  FAILED {failure.suite}: {failure.expectation}{column}: "
                f"{failure.detail}"
            )
        lines.append(
            f"provider data quality: {len(self.data_quality)} check(s) flag rows "
            "(kept as delivered; see fct_data_quality_monthly)"
        )
        for code, level, subjects, billed in self.data_quality:
            noun = "row(s)" if level == "row" else "commitment period(s)"
            lines.append(f"  {code}: {subjects} {noun}, billed cost {billed}")
        return "\n".join(lines)


def reporting_currency(project_dir: Path) -> str:
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text())
    return str(project["vars"]["reporting_currency"])


def connect_for_reading(database: Path):
    """A read-only connection; within a process that already holds the file
    open read-write (dbt in the same Python process), that connection's
    configuration instead."""
    import duckdb

    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.ConnectionException:
        return duckdb.connect(str(database))


def open_built_warehouse(database: Path):
    """A reading connection to a warehouse whose last `dbt build` (or `run`)
    finished without a failed node; else a coded error, and nothing is read:
    ITFM-B002 when nothing was built yet (the file is not created by asking),
    ITFM-B003 naming the failed nodes, or the build that did not finish."""
    import duckdb

    database = Path(database)
    if not database.exists():
        raise ItfmError(
            "ITFM-B002", f"no warehouse at {database}: nothing loaded or built yet"
        )
    try:
        con = connect_for_reading(database)
    except duckdb.Error as error:
        raise ItfmError(
            "ITFM-W001", str(error).splitlines()[0], str(database)
        ) from None
    latest = _latest_build(con, database)
    invocation, started, status, failed = latest
    if status != "success":
        con.close()
        what = (
            f"failed: {failed}"
            if status == "failed"
            else "did not finish (stopped or killed)"
        )
        raise ItfmError(
            "ITFM-B003",
            f"the last build ({invocation}, started {started:%Y-%m-%d %H:%M}) {what}",
        )
    return con


def _latest_build(con, database: Path) -> tuple:
    """(invocation id, started at, status, failed nodes) of the newest build;
    ITFM-B002 (and the connection closed) when there is none."""
    import duckdb

    try:
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'main' and table_name = 'itfm_build_runs'"
        ).fetchall()[0][0]
        if not found:
            raise ItfmError("ITFM-B002", f"{database} has no build yet")
        latest = con.execute(
            """
            with runs as (
                select invocation_id, min(recorded_at) as started_at,
                    max(case when event = 'finished' then status end) as status,
                    max(case when event = 'finished' then failed_nodes end)
                        as failed_nodes
                from main.itfm_build_runs group by 1
            )
            select invocation_id, started_at, status, failed_nodes from runs
            order by started_at desc limit 1
            """
        ).fetchall()[0]
    except duckdb.Error as error:
        con.close()
        first = str(error).strip().splitlines()[0]
        raise ItfmError("ITFM-B002", first) from None
    except ItfmError:
        con.close()
        raise
    return latest


def _frames(database: Path) -> dict:
    con = open_built_warehouse(database)
    try:

        def frame(sql: str):
            return con.execute(sql).df()

        frames = {
            "invoice_reconciliation": frame(
                "select * from main.fct_invoice_reconciliation_monthly"
            ),
            "statement_lines": frame(
                "select * from main.fct_chargeback_statement_lines"
            ),
            "statements": frame("select * from main.fct_chargeback_statements_monthly"),
            "statement_month_shares": frame(
                """
                select billing_month, sum(share_of_month) as total_share
                from main.fct_chargeback_statements_monthly group by 1
                """
            ),
            "kpi_scorecard": frame("select * from main.fct_itfm_kpi_scorecard_monthly"),
            "kpi_scorecard_months": frame(
                """
                select kpi_month, count(distinct kpi_id) as kpis
                from main.fct_itfm_kpi_scorecard_monthly group by 1
                """
            ),
            "known_cost_centers": frame("select cost_center from main.cost_centers"),
            "data_quality": frame(
                """
                select check_code, check_level, sum(subjects_flagged) as subjects,
                    sum(billed_cost) as billed_cost
                from main.fct_data_quality_monthly group by 1, 2 order by 1
                """
            ),
        }
    finally:
        con.close()
    return frames


def _suites(frames: dict, currency: str) -> dict[str, tuple[str, list]]:
    """asset -> (id column for naming failures, expectations)."""
    import great_expectations.expectations as gxe

    known = sorted(frames["known_cost_centers"]["cost_center"].tolist())
    return {
        **_reconciliation_suites(gxe),
        **_statement_suites(gxe, known, currency),
        **_kpi_suites(gxe),
    }


def _reconciliation_suites(gxe) -> dict[str, tuple[str, list]]:
    return {
        "invoice_reconciliation": (
            "invoice_id",
            [
                gxe.ExpectColumnValuesToBeInSet(
                    column="is_tied",
                    value_set=[True],
                    row_condition='reconciliation_status=="final"',
                    condition_parser="pandas",
                    meta={"notes": "Final invoices tie to the cent."},
                ),
                gxe.ExpectColumnValuesToBeInSet(
                    column="reconciliation_status",
                    value_set=["final", "estimated", "missing_invoice"],
                ),
                gxe.ExpectColumnValuesToBeUnique(column="invoice_reconciliation_id"),
            ],
        ),
    }


def _statement_suites(gxe, known: list[str], currency: str) -> dict:
    """Statement lines and statements: known cost centers, one currency, shares."""
    return {
        "statement_lines": (
            "statement_line_id",
            [
                gxe.ExpectColumnValuesToNotBeNull(
                    column="statement_rule_id",
                    meta={"notes": "No statement line without a rule."},
                ),
                gxe.ExpectColumnValuesToBeInSet(
                    column="x_cost_center",
                    value_set=known,
                    meta={"notes": "Every cost center is known."},
                ),
                gxe.ExpectColumnValuesToBeInSet(
                    column="x_reporting_currency",
                    value_set=[currency],
                    meta={"notes": "One currency per statement."},
                ),
            ],
        ),
        "statements": (
            "statement_id",
            [
                gxe.ExpectColumnValuesToBeUnique(column="statement_id"),
                gxe.ExpectCompoundColumnsToBeUnique(
                    column_list=["x_cost_center", "billing_month"]
                ),
            ],
        ),
        "statement_month_shares": (
            "billing_month",
            [
                gxe.ExpectColumnValuesToBeBetween(
                    column="total_share",
                    min_value=0.999999,
                    max_value=1.000001,
                    meta={"notes": "Statement shares add up to 100% per month."},
                ),
            ],
        ),
    }


def _kpi_suites(gxe) -> dict[str, tuple[str, list]]:
    return {
        "kpi_scorecard": (
            "kpi_scorecard_id",
            [
                gxe.ExpectColumnValuesToBeInSet(
                    column="kpi_status",
                    value_set=["ok", "warn", "breach", "not available"],
                ),
                gxe.ExpectCompoundColumnsToBeUnique(
                    column_list=["kpi_id", "kpi_month"]
                ),
                gxe.ExpectColumnValuesToNotBeNull(
                    column="not_available_reason",
                    row_condition='kpi_status=="not available"',
                    condition_parser="pandas",
                    meta={"notes": "Not available always says why."},
                ),
            ],
        ),
        "kpi_scorecard_months": (
            "kpi_month",
            [
                gxe.ExpectColumnValuesToBeBetween(
                    column="kpis",
                    min_value=15,
                    max_value=15,
                    meta={"notes": "All fifteen KPIs every month."},
                ),
            ],
        ),
    }


def validate(database: Path, docs_dir: Path, project_dir: Path) -> Outcome:
    """Run the finance checkpoint; write Data Docs into docs_dir."""
    import logging

    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    frames = _frames(database)
    currency = reporting_currency(project_dir)
    docs_dir = docs_dir.resolve()
    shutil.rmtree(docs_dir, ignore_errors=True)
    context = _context_with_docs_site(gx, docs_dir)
    source = context.data_sources.add_pandas("itfm_marts")
    definitions, id_columns = [], {}
    for asset_name, (id_column, expectations) in _suites(frames, currency).items():
        batch = source.add_dataframe_asset(
            asset_name
        ).add_batch_definition_whole_dataframe("all_rows")
        suite = context.suites.add(gx.ExpectationSuite(name=f"finance_{asset_name}"))
        for expectation in expectations:
            suite.add_expectation(expectation)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=asset_name, data=batch, suite=suite)
        )
        definitions.append((asset_name, definition))
        id_columns[asset_name] = id_column
    results = []
    for asset_name, definition in definitions:
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"finance_{asset_name}",
                validation_definitions=[definition],
                actions=[UpdateDataDocsAction(name="data_docs")],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": [id_columns[asset_name]],
                },
            )
        )
        run = checkpoint.run(batch_parameters={"dataframe": frames[asset_name]})
        results.append((asset_name, run))
    outcome = Outcome(success=True, docs_index=docs_dir / "index.html")
    outcome.data_quality = [
        (row.check_code, row.check_level, int(row.subjects), row.billed_cost)
        for row in frames["data_quality"].itertuples()
    ]
    _collect(outcome, results, id_columns)
    make_offline(docs_dir)
    return outcome


def _context_with_docs_site(gx, docs_dir: Path):
    """An ephemeral GX context writing its Data Docs into docs_dir."""
    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(
        site_name="itfm_finance",
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
        },
    )
    return context


def _collect(outcome: Outcome, results: list, id_columns: dict) -> None:
    """Count every expectation evaluated; name each failure with its ids."""
    for asset_name, run in results:
        for validation in run.run_results.values():
            for result in validation.results:
                outcome.evaluated += 1
                if result.success:
                    continue
                outcome.success = False
                config = result.expectation_config
                outcome.failures.append(
                    Failure(
                        f"finance_{asset_name}",
                        config.type,
                        config.kwargs.get("column"),
                        _failure_detail(result.result, id_columns[asset_name]),
                    )
                )


def _failure_detail(result: dict, id_column: str) -> str:
    rows = result.get("unexpected_index_list") or []
    names = []
    for row in rows[:10]:
        if isinstance(row, dict) and row.get(id_column) is not None:
            names.append(str(row[id_column]))
    count = result.get("unexpected_count")
    shown = f"{count} unexpected row(s)" if count is not None else "failed"
    values = result.get("partial_unexpected_list") or []
    if names:
        shown += f"; {id_column}: " + ", ".join(names)
    elif values:
        shown += "; values: " + ", ".join(str(v) for v in values[:10])
    elif "observed_value" in result:
        shown += f"; observed {result['observed_value']}"
    return shown


def make_offline(docs_dir: Path) -> None:
    """Copy the vendored assets into the site and point every page at them."""
    target = docs_dir / "static" / "vendor"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ASSETS, target, ignore=shutil.ignore_patterns("*.md"))
    for page in docs_dir.rglob("*.html"):
        depth = len(page.relative_to(docs_dir).parts) - 1
        prefix = "../" * depth + "static/vendor/"
        text = page.read_text(encoding="utf-8")
        for pattern, local in CDN_ASSETS.items():
            text = re.sub(pattern, prefix + local, text)
        for pattern in CDN_DROPPED:
            text = re.sub(pattern, "", text)
        text = re.sub(REMOTE_LOGO, 'src="" alt="Great Expectations"', text)
        page.write_text(text, encoding="utf-8")
