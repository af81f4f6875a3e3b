"""The `itfm` command-line tool: generate, load, build, validate, export, summary,
demo, bench, errors."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from itfm.errors import ItfmError, ItfmErrors, catalogue_markdown
from itfm.sources import DEFAULT_MAX_ROW_DROP_PCT

PROJECT_DIR = Path(
    os.environ.get("ITFM_PROJECT_DIR", Path(__file__).resolve().parents[2])
)


def database_path(target: str = "dev") -> Path:
    """The warehouse file: $ITFM_DB, else the target's default inside the project."""
    default = "target/ci.duckdb" if target == "ci" else "warehouse/itfm.duckdb"
    path = Path(os.environ.get("ITFM_DB", default))
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def _dbt_environment(target: str) -> None:
    database = database_path(target)
    os.environ["ITFM_DB"] = str(database)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


def _check_warehouse_free(database: Path) -> None:
    """ITFM-W001 before dbt starts when another process holds the warehouse
    (dbt would fail on every model with a traceback each)."""
    import duckdb

    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        duckdb.connect(str(database)).close()
    except duckdb.Error as error:
        raise ItfmError(
            "ITFM-W001", str(error).splitlines()[0], str(database)
        ) from None


def run_dbt(args: list[str], target: str = "dev") -> None:
    """Run a dbt command with the project's profile; raise ITFM-B001 on failure."""
    from dbt.cli.main import dbtRunner

    _dbt_environment(target)
    _check_warehouse_free(database_path(target))
    command = [
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR / "profiles"),
        "--target",
        target,
    ]
    cwd = Path.cwd()
    os.chdir(PROJECT_DIR)
    try:
        result = dbtRunner().invoke(command)
    finally:
        os.chdir(cwd)
    if not result.success:
        detail = str(result.exception) if result.exception else "see the log above"
        raise ItfmError("ITFM-B001", f"dbt {' '.join(args)} failed: {detail}")
    ran = getattr(result.result, "results", None)
    if args and args[0] in ("build", "run") and ran is not None and not ran:
        raise ItfmError("ITFM-B004", f"dbt {' '.join(args)} built nothing")


def summary(target: str = "dev") -> str:
    """A short, human summary of what the warehouse holds."""

    from itfm.validate import open_built_warehouse

    database = database_path(target)
    con = open_built_warehouse(database)
    try:
        lines = [f"warehouse: {database}"]
        audit = con.execute(
            """
            select count(*), coalesce(sum(rows_read), 0),
                coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
            from (
                select * from raw.load_audit
                where status = 'loaded'
                qualify row_number() over (
                    partition by file_path order by loaded_at desc
                ) = 1
            )
            """
        ).fetchone()
        lines.append(
            f"files in the warehouse: {audit[0]}; rows read {audit[1]:,}"
            f" = loaded {audit[2]:,} + quarantined {audit[3]:,}"
        )
        facts = con.execute(
            "select count(*) from main.fct_billing_line_items"
        ).fetchone()[0]
        lines.append(f"billing line items in fct_billing_line_items: {facts:,}")
        lines.append("")
        lines.append(
            f"{'provider':<14}{'export':<13}{'month':<9}{'currency':<10}"
            f"{'billed cost':>16}{'effective cost':>16}{'line items':>12}"
        )
        rows = con.execute(
            """
            select provider_name, x_source, strftime(billing_period_start, '%Y-%m'),
                billing_currency, sum(billed_cost), sum(effective_cost), count(*)
            from main.fct_billing_line_items
            group by 1, 2, 3, 4 order by 1, 2, 3, 4
            """
        ).fetchall()
        for provider, source, month, currency, billed, effective, count in rows:
            lines.append(
                f"{provider:<14}{source:<13}{month:<9}{currency:<10}"
                f"{billed:>16,.2f}{effective:>16,.2f}{count:>12,}"
            )
        lines.extend(_operations_and_kpis(con))
        docs = PROJECT_DIR / "target" / "index.html"
        if docs.exists():
            lines.append("")
            lines.append(
                f"dbt docs: {docs} (serve with `.venv/bin/dbt docs serve "
                "--profiles-dir profiles`)"
            )
        return "\n".join(lines)
    finally:
        con.close()


def _operations_and_kpis(con) -> list[str]:
    """Page-level alerts and the latest complete month's KPI scorecard."""
    tables = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'main'"
        ).fetchall()
    }
    lines = []
    if "fct_cost_alerts" in tables:
        pages = con.execute(
            """
            select alert_date, x_team, service_name, alert_summary
            from main.fct_cost_alerts where alert_route = 'page' order by 1
            """
        ).fetchall()
        lines += ["", f"page-level cost alerts: {len(pages)}"]
        for day, team, service, text in pages:
            lines.append(f"  {day}  {team:<10} {service:<32} {text[:60]}")
    if "fct_itfm_kpi_scorecard_monthly" in tables:
        rows = con.execute(
            """
            select kpi_month, kpi_id, kpi_name, kpi_value, kpi_status,
                not_available_reason
            from main.fct_itfm_kpi_scorecard_monthly
            where kpi_month = (
                select max(kpi_month) from main.fct_itfm_kpi_scorecard_monthly
                where is_complete_month
            )
            order by cast(substr(kpi_id, 2) as integer)
            """
        ).fetchall()
        if rows:
            lines += ["", f"ITFM KPI scorecard, {rows[0][0]:%Y-%m}:"]
        for _month, kpi, name, value, status, reason in rows:
            shown = f"{value:,.4f}" if value is not None else (reason or "")
            lines.append(f"  {kpi:<4} {name:<26} {shown:>14}  {status}")
    return lines


def _cmd_generate(args: argparse.Namespace) -> None:
    from itfm.generate import generate

    truth = generate(
        Path(args.out),
        args.scale,
        args.days,
        args.seed,
        dt.date.fromisoformat(args.start),
        getattr(args, "billing_format", "native"),
        getattr(args, "azure_schema", "ea"),
    )
    print(
        f"wrote {args.out} ({args.scale}, {args.days} days from {args.start}, "
        f"seed {args.seed}, {getattr(args, 'billing_format', 'native')} billing "
        f"exports); {len(truth['events'])} injected events in _truth.json"
    )


def _cmd_load(args: argparse.Namespace) -> None:
    from itfm.load import load

    result = load(
        database_path(args.target),
        Path(args.landing),
        allow_row_drop=args.allow_row_drop,
        max_row_drop_pct=args.max_row_drop_pct,
        allow_same_rows_in_feeds=getattr(args, "allow_same_rows_in_feeds", False),
    )
    print(result.summary())


def _cmd_build(args: argparse.Namespace) -> None:
    run_dbt(["build", *args.dbt_args], args.target)


def _cmd_validate(args: argparse.Namespace) -> None:
    from itfm.validate import validate

    outcome = validate(database_path(args.target), Path(args.docs), PROJECT_DIR)
    print(outcome.report())
    if not outcome.success:
        failed = "; ".join(
            f"{f.suite} {f.expectation}: {f.detail}" for f in outcome.failures
        )
        raise ItfmError("ITFM-V001", failed)


EXPORTED_MARTS = [
    "fct_chargeback_statements_monthly",
    "fct_chargeback_statement_lines",
    "fct_showback_monthly",
    "fct_invoice_reconciliation_monthly",
    "fct_chargeback_variance_monthly",
    "fct_budget_variance_monthly",
    "fct_unit_costs_monthly",
    "fct_feature_costs_monthly",
    "fct_itfm_kpi_scorecard_monthly",
    "fct_cost_alerts",
    "fct_forecast_accuracy_monthly",
    "fct_data_quality_monthly",
]


def export(target: str, out: Path) -> list[Path]:
    """Write finance and BI marts as CSV and Parquet, and one CSV statement per
    cost center and month under statements/<month>/."""
    import duckdb

    from itfm.validate import open_built_warehouse

    out = out.resolve()
    con = open_built_warehouse(database_path(target))
    written = []
    try:
        for mart in EXPORTED_MARTS:
            for fmt, suffix in (("csv, header true", "csv"), ("parquet", "parquet")):
                path = out / suffix / f"{mart}.{suffix}"
                path.parent.mkdir(parents=True, exist_ok=True)
                con.execute(
                    f"copy (select * from main.{mart}) to '{path}' (format {fmt})"
                )
                written.append(path)
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


def _cmd_export(args: argparse.Namespace) -> None:
    if getattr(args, "focus", None):
        path = _focus_export(args.target, Path(args.out), args.focus)
        print(f"exported the billing fact in FOCUS {args.focus} columns to {path}")
        return
    written = export(args.target, Path(args.out))
    print(f"exported {len(written)} file(s) to {Path(args.out).resolve()}")


def _focus_export(target: str, out: Path, version: str) -> Path:
    from itfm.focus_export import export_focus
    from itfm.validate import open_built_warehouse

    con = open_built_warehouse(database_path(target))
    try:
        return export_focus(con, out.resolve() / "focus", version)
    finally:
        con.close()


def _cmd_focus_validate(args: argparse.Namespace) -> None:
    from itfm.focus_export import run_validator

    path = _focus_export(args.target, Path(args.out), "1.2")
    outcome = run_validator(path)
    print(outcome.report())
    if not outcome.success:
        failed = ", ".join(rule for rule, _ in outcome.failed_must)
        raise ItfmError("ITFM-V003", f"{failed} (export: {path})")


def _cmd_summary(args: argparse.Namespace) -> None:
    print(summary(args.target))


def _cmd_demo(args: argparse.Namespace) -> None:
    landing = Path(args.landing)
    if not (landing / "_truth.json").exists():
        _cmd_generate(
            argparse.Namespace(
                out=landing, scale="demo", days=184, seed=42, start="2026-05-01"
            )
        )
    _cmd_load(
        argparse.Namespace(
            target="dev",
            landing=landing,
            allow_row_drop=False,
            max_row_drop_pct=DEFAULT_MAX_ROW_DROP_PCT,
        )
    )
    # A full rebuild: seeds reloaded whole (a seed that gained a column in a new
    # itfm version does not fail an existing warehouse) and every period built
    # under the current seeds.
    run_dbt(["build", "--full-refresh"], "dev")
    run_dbt(["docs", "generate"], "dev")
    _cmd_validate(argparse.Namespace(target="dev", docs="target/data_docs"))
    _cmd_export(argparse.Namespace(target="dev", out="exports"))
    print()
    print(summary("dev"))


def _cmd_bench(args: argparse.Namespace) -> None:
    from itfm.bench import curve, render, render_curve, run

    check = args.check_incremental  # None: the bench's default for the scale
    if args.scale == "curve":
        print(render_curve(curve(check)))
        return
    print(render(run(args.scale, check_incremental=check)))


def _cmd_errors(_args: argparse.Namespace) -> None:
    print(catalogue_markdown())


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="itfm", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write deterministic demo landing data")
    gen.add_argument("--out", required=True)
    gen.add_argument(
        "--scale", default="demo", choices=["ci", "demo", "1m", "medium", "large"]
    )
    gen.add_argument("--days", type=int, default=184)
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--start", default="2026-05-01", help="first day (YYYY-MM-DD)")
    gen.add_argument(
        "--billing-format",
        default="native",
        choices=["native", "focus"],
        help="native: AWS as CUR 2.0, Azure as cost details, Google Cloud as its "
        "billing export (SaaS as FOCUS); focus: every provider as FOCUS 1.2",
    )
    gen.add_argument(
        "--azure-schema",
        default="ea",
        choices=["ea", "mca"],
        help="column set of the Azure cost details (EA or MCA)",
    )
    gen.set_defaults(func=_cmd_generate)

    for name, func, text in [
        ("load", _cmd_load, "load a landing folder into the warehouse"),
        ("build", _cmd_build, "run dbt build with the project's profile"),
        ("summary", _cmd_summary, "print what the warehouse holds"),
        ("validate", _cmd_validate, "run the finance expectation suites (GX)"),
        ("export", _cmd_export, "write finance marts as CSV and Parquet"),
        (
            "focus-validate",
            _cmd_focus_validate,
            "export the fact as FOCUS 1.2 and run the FinOps Foundation's validator",
        ),
    ]:
        command = sub.add_parser(name, help=text)
        command.add_argument("--target", default="dev", choices=["dev", "ci"])
        if name == "load":
            command.add_argument("--landing", required=True)
            command.add_argument(
                "--allow-row-drop",
                action="store_true",
                help="accept deliveries that empty or shrink a loaded slice",
            )
            command.add_argument(
                "--max-row-drop-pct",
                type=float,
                default=DEFAULT_MAX_ROW_DROP_PCT,
                help="refuse a delivery that removes more than this %% of a "
                "slice's rows (default 50; 100: only emptying is refused)",
            )
            command.add_argument(
                "--allow-same-rows-in-feeds",
                action="store_true",
                help="accept a feed whose slice holds exactly the rows another "
                "feed holds for the same account and period (refused by default)",
            )
        if name == "validate":
            command.add_argument(
                "--docs", default="target/data_docs", help="Data Docs folder"
            )
        if name == "export":
            command.add_argument("--out", default="exports", help="exports folder")
            command.add_argument(
                "--focus",
                metavar="VERSION",
                help="write the billing fact in FOCUS VERSION column names "
                "(1.2) to OUT/focus/ instead of the finance marts",
            )
        if name == "focus-validate":
            command.add_argument(
                "--out", default="target", help="folder for focus/focus-1.2.parquet"
            )
        command.set_defaults(func=func)

    demo = sub.add_parser("demo", help="generate (once), load, build, summarize")
    demo.add_argument("--landing", default="data/landing/demo")
    demo.set_defaults(func=_cmd_demo)

    bench = sub.add_parser("bench", help="benchmark against hand-written DuckDB SQL")
    bench.add_argument(
        "--scale",
        default="medium",
        choices=["demo", "1m", "medium", "large", "curve"],
        help="curve: demo, 1m and medium one after the other, with how time and "
        "memory grow with the line items",
    )
    bench.add_argument(
        "--check-incremental",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="after the incremental build, rebuild a copy with --full-refresh and "
        "compare every table (default: on for demo and 1m)",
    )
    bench.set_defaults(func=_cmd_bench)

    errors = sub.add_parser("errors", help="print the error catalogue")
    errors.set_defaults(func=_cmd_errors)
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args, unknown = top.parse_known_args(argv)
    if unknown and args.command != "build":
        top.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command == "build":
        args.dbt_args = unknown  # passed through to dbt build
    try:
        args.func(args)
    except (ItfmError, ItfmErrors) as error:
        print(f"itfm: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"itfm: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a DuckDB failure: coded, without a traceback
        import duckdb

        if not isinstance(error, duckdb.Error):
            raise
        first = str(error).strip().splitlines()[0]
        print(f"itfm: {ItfmError('ITFM-W002', first)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
