"""The `itfm` command-line tool: generate, load, build, validate, export, summary,
dashboards, serve, demo, bench, spark-compare, spark-profile, errors."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import traceback
from pathlib import Path

from itfm.errors import ItfmError, ItfmErrors, catalogue_markdown, first_line
from itfm.focus_export import FOCUS_EXPORT_VERSIONS
from itfm.project import database_path, project_dir, run_dbt
from itfm.sources import DEFAULT_MAX_ROW_DROP_PCT


def _generate(
    out: Path,
    scale: str = "demo",
    days: int = 184,
    seed: int = 42,
    start: str = "2026-05-01",
    billing_format: str = "native",
    azure_schema: str = "ea",
) -> None:
    from itfm.generate import generate

    truth = generate(
        out,
        scale,
        days,
        seed,
        dt.date.fromisoformat(start),
        billing_format,
        azure_schema,
    )
    print(
        f"wrote {out} ({scale}, {days} days from {start}, seed {seed}, "
        f"{billing_format} billing exports); {len(truth['events'])} injected "
        "events in _truth.json"
    )


def _cmd_generate(args: argparse.Namespace) -> None:
    _generate(
        Path(args.out),
        args.scale,
        args.days,
        args.seed,
        args.start,
        args.billing_format,
        args.azure_schema,
    )


def _load(
    target: str,
    landing: Path,
    allow_row_drop: bool = False,
    max_row_drop_pct: float = DEFAULT_MAX_ROW_DROP_PCT,
    allow_same_rows_in_feeds: bool = False,
) -> None:
    from itfm.load import load

    result = load(
        database_path(target),
        landing,
        allow_row_drop=allow_row_drop,
        max_row_drop_pct=max_row_drop_pct,
        allow_same_rows_in_feeds=allow_same_rows_in_feeds,
    )
    print(result.summary())


def _cmd_load(args: argparse.Namespace) -> None:
    _load(
        args.target,
        Path(args.landing),
        args.allow_row_drop,
        args.max_row_drop_pct,
        args.allow_same_rows_in_feeds,
    )


def _cmd_build(args: argparse.Namespace) -> None:
    run_dbt(["build", *args.dbt_args], args.target)


def _validate(target: str, docs: Path) -> None:
    from itfm.validate import validate

    outcome = validate(database_path(target), docs, project_dir())
    print(outcome.report())
    if not outcome.success:
        failed = "; ".join(
            f"{f.suite} {f.expectation}: {f.detail}" for f in outcome.failures
        )
        raise ItfmError("ITFM-V001", failed)


def _cmd_validate(args: argparse.Namespace) -> None:
    _validate(args.target, Path(args.docs))


def _export(target: str, out: Path, focus: str | None = None) -> None:
    from itfm.exports import export, focus_export

    if focus:
        path = focus_export(target, out, focus)
        print(f"exported the billing fact in FOCUS {focus} columns to {path}")
        return
    written = export(target, out)
    print(f"exported {len(written)} file(s) to {out.resolve()}")


def _cmd_export(args: argparse.Namespace) -> None:
    _export(args.target, Path(args.out), args.focus)


def _cmd_focus_validate(args: argparse.Namespace) -> None:
    from itfm.exports import focus_export
    from itfm.focus_export import run_validator

    path = focus_export(args.target, Path(args.out), "1.2")
    outcome = run_validator(path)
    print(outcome.report())
    if not outcome.success:
        failed = ", ".join(rule for rule, _ in outcome.failed_must)
        raise ItfmError("ITFM-V003", f"{failed} (export: {path})")


def _cmd_summary(args: argparse.Namespace) -> None:
    from itfm.report import summary

    print(summary(args.target))


def _cmd_demo(args: argparse.Namespace) -> None:
    from itfm.report import summary

    landing = Path(args.landing)
    if not (landing / "_truth.json").exists():
        _generate(landing)
    _load("dev", landing)
    # A full rebuild: seeds reloaded whole (a seed that gained a column in a new
    # itfm version does not fail an existing warehouse) and every period built
    # under the current seeds.
    run_dbt(["build", "--full-refresh"], "dev")
    run_dbt(["docs", "generate"], "dev")
    _validate("dev", Path("target/data_docs"))
    _export("dev", Path("exports"))
    _dashboards("dev", Path("target/dashboards"))
    print()
    print(summary("dev"))


def _dashboards(target: str, out: Path) -> Path:
    from itfm.dashboards import write
    from itfm.validate import reporting_currency

    currency = reporting_currency(project_dir())
    pages = write(database_path(target), out, currency)
    index = pages[0].resolve()
    print(f"dashboards: {len(pages) - 1} pages written; open {index.as_uri()}")
    return index


def _cmd_dashboards(args: argparse.Namespace) -> None:
    _dashboards(args.target, Path(args.out))


def _cmd_serve(args: argparse.Namespace) -> None:
    import functools
    import http.server

    folder = Path(args.folder).resolve()
    if not (folder / "index.html").exists():
        raise ItfmError("ITFM-E003", "no dashboards in the folder", str(folder))
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(folder)
    )
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        raise ItfmError("ITFM-E003", f"port {args.port}: {error.strerror}") from None
    with server:
        print(f"serving {folder} at http://127.0.0.1:{args.port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def _cmd_bench(args: argparse.Namespace) -> None:
    from itfm.bench import curve, render, render_curve, run

    check = args.check_incremental  # None: the bench's default for the scale
    if args.scale == "curve":
        print(render_curve(curve(check)))
        return
    print(render(run(args.scale, check_incremental=check)))


def _cmd_spark_compare(args: argparse.Namespace) -> None:
    from itfm.project import spark_warehouse
    from itfm.spark_compare import compare, failures, report

    result = compare(database_path(args.target), spark_warehouse(project_dir()))
    print(report(result))
    bad = failures(result)
    if bad:
        raise ItfmError("ITFM-B006", f"{len(bad)} tables differ: {', '.join(bad)}")


def _cmd_spark_profile(args: argparse.Namespace) -> None:
    import duckdb

    from itfm.project import spark_warehouse
    from itfm.spark_profile import event_files, profile, report

    project = project_dir()
    given = args.event_log or os.environ.get("ITFM_SPARK_EVENT_LOG")
    if not given:
        raise ItfmError("ITFM-B007", "no --event-log given")
    event_log = Path(given)
    if not event_files(event_log):
        raise ItfmError("ITFM-B007", "no Spark event log found", str(event_log))
    run_results = Path(args.run_results or project / "target/run_results.json")
    fact = spark_warehouse(project) / "main.db/fct_billing_line_items"
    line_items = None
    if fact.exists():
        line_items = duckdb.execute(
            f"select count(*) from read_parquet('{fact}/**/*.parquet')"
        ).fetchone()[0]
    print(report(profile(event_log, run_results), args.top, line_items))


def _cmd_errors(_args: argparse.Namespace) -> None:
    print(catalogue_markdown())


def _days(text: str) -> int:
    days = int(text)
    if days < 7:
        raise argparse.ArgumentTypeError("must be at least 7")
    return days


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="itfm", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    _add_generate(sub)
    _add_warehouse_commands(sub)
    _add_demo_and_bench(sub)
    _add_spark_commands(sub)
    _add_site_commands(sub)
    errors = sub.add_parser("errors", help="print the error catalogue")
    errors.set_defaults(func=_cmd_errors)
    return top


def _add_generate(sub) -> None:
    gen = sub.add_parser("generate", help="write deterministic demo landing data")
    gen.add_argument("--out", required=True)
    gen.add_argument(
        "--scale", default="demo", choices=["ci", "demo", "1m", "medium", "large"]
    )
    gen.add_argument("--days", type=_days, default=184, help="at least 7")
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


def _add_warehouse_commands(sub) -> None:
    """load, build, summary, validate, export, focus-validate."""
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
        # spark: build and test only (the loader, reports and exports read
        # DuckDB; the Spark build reads the raw layer as Parquet).
        targets = ["dev", "ci", "spark"] if name == "build" else ["dev", "ci"]
        command.add_argument("--target", default="dev", choices=targets)
        if name == "load":
            _add_load_options(command)
        if name == "validate":
            command.add_argument(
                "--docs", default="target/data_docs", help="Data Docs folder"
            )
        if name == "export":
            command.add_argument("--out", default="exports", help="exports folder")
            command.add_argument(
                "--focus",
                metavar="VERSION",
                choices=FOCUS_EXPORT_VERSIONS,
                help="write the billing fact in FOCUS VERSION column names "
                "(1.2) to OUT/focus/ instead of the finance marts",
            )
        if name == "focus-validate":
            command.add_argument(
                "--out", default="target", help="folder for focus/focus-1.2.parquet"
            )
        command.set_defaults(func=func)


def _add_load_options(command: argparse.ArgumentParser) -> None:
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


def _add_demo_and_bench(sub) -> None:
    demo = sub.add_parser("demo", help="generate (once), load, build, summarize")
    demo.add_argument("--landing", default="data/landing/demo")
    demo.set_defaults(func=_cmd_demo)

    bench = sub.add_parser("bench", help="benchmark against hand-written DuckDB SQL")
    bench.add_argument(
        "--scale",
        default="medium",
        choices=["demo", "1m", "medium", "large", "curve"],
        help="curve: demo, 1m, medium and large one after the other, with how "
        "time and memory grow with the line items",
    )
    bench.add_argument(
        "--check-incremental",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="after the incremental build, rebuild a copy with --full-refresh and "
        "compare every table (default: on for demo and 1m)",
    )
    bench.set_defaults(func=_cmd_bench)


def _add_spark_commands(sub) -> None:
    spark = sub.add_parser(
        "spark-compare",
        help="compare every mart built on Spark with the DuckDB build (docs/spark.md)",
    )
    spark.add_argument("--target", default="dev", choices=["dev", "ci"])
    spark.set_defaults(func=_cmd_spark_compare)

    spark_profile = sub.add_parser(
        "spark-profile",
        help="task seconds, rows read and bytes shuffled per dbt node of a Spark build "
        "run with ITFM_SPARK_EVENT_LOG (docs/spark.md)",
    )
    spark_profile.add_argument("--event-log", help="default: $ITFM_SPARK_EVENT_LOG")
    spark_profile.add_argument(
        "--run-results", help="default: target/run_results.json of the project"
    )
    spark_profile.add_argument("--top", type=int, default=25)
    spark_profile.set_defaults(func=_cmd_spark_profile)


def _add_site_commands(sub) -> None:
    """dashboards and serve."""
    dashboards = sub.add_parser(
        "dashboards",
        help="write the executive, on-call and debug dashboards (a static site "
        "that opens from disk) from the marts of the last successful build",
    )
    dashboards.add_argument("--target", default="dev", choices=["dev", "ci"])
    dashboards.add_argument("--out", default="target/dashboards")
    dashboards.set_defaults(func=_cmd_dashboards)

    serve = sub.add_parser(
        "serve", help="serve the dashboards on localhost (127.0.0.1 only)"
    )
    serve.add_argument("--folder", default="target/dashboards")
    serve.add_argument("--port", type=int, default=8765)
    serve.set_defaults(func=_cmd_serve)


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args, unknown = top.parse_known_args(argv)
    if unknown and args.command != "build":
        top.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command == "build":
        args.dbt_args = unknown  # passed through to dbt build
    try:
        args.func(args)
    except (ItfmError, ItfmErrors) as error:  # what the user can fix: exit 2
        print(f"itfm: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        import duckdb

        if isinstance(error, duckdb.Error):  # the warehouse refused: coded, exit 2
            first = first_line(error)
            print(f"itfm: {ItfmError('ITFM-W002', first)}", file=sys.stderr)
            return 2
        # Anything else is a bug in itfm: the traceback, then a coded line, exit 3.
        traceback.print_exc()
        detail = f"{type(error).__name__}: {error}"
        print(f"itfm: {ItfmError('ITFM-X001', detail)}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
