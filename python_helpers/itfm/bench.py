"""`itfm bench`: time and memory of the pipeline against hand-written DuckDB SQL.

Each stage runs in its own process, so its wall time and peak memory (the
process's high-water mark of resident memory) are measured alone:

1. generate the data (cached under data/bench/<scale>/, not timed again);
2. `itfm load` into a fresh warehouse file, of the data as it was the day before
   its last day (data/bench/<scale>_day_before/, hard links but for the files that
   hold the last day);
3. one `itfm build` of every model and test: the pipeline as a user runs it
   (`itfm load`, then `itfm build`); then, on a copy of the warehouse as the
   load left it, `dbt build` of the models (tests excluded), then the tests
   alone (every dbt stage after one untimed `dbt parse`, with the same profile,
   as a user's runs: a changed profile makes dbt parse the project again);
4. the project's core outputs read from its models (bench/project_core.sql);
5. the reference (bench/reference_core.sql): the core path written by hand as one
   DuckDB script over the landing files themselves, in a database of its own;
6. an equality check of the two core outputs, and the engine's floor: one plain
   copy of the landing files into a DuckDB table (what keeping a raw copy of
   the line items costs the engine alone);
7. the last day arrives: `itfm load` of the whole landing folder (only the last
   billing period and the telemetry changed), then an incremental `dbt build`;
8. the same build once more with nothing new loaded: dbt's fixed cost (its
   start, the seeds, the views and the tables every build writes whole, the
   incremental models finding nothing to do), the floor under any
   incremental build.

It prints a table, the ratio of the project's core path (load + models up to
attribution + the core query) to the reference, the ratio of the full pipeline
(the load and one `itfm build` of every model and test) to the reference, and
the same as separate invocations (load + models + tests), the warehouse's bytes per
line item against the landing files', and writes the figures to
bench/results/<scale>.json. Targets are reported, never asserted.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from itfm.project import project_dir

PROJECT_DIR = project_dir()
SCALES = {
    "demo": ("demo", 184),
    "1m": ("1m", 184),
    "medium": ("medium", 184),
    "large": ("large", 184),
}
# Issue 22's memory targets: under 6 GiB at medium (and below), 8 GiB at large.
PEAK_TARGET_MIB = {"medium": 6144, "large": 8192}
PROJECT_STAGES = (
    "load",
    "dbt_models",
    "dbt_tests",
    "dbt_build",
    "dbt_core_models",
    "load_one_more_day",
    "dbt_incremental",
    "dbt_nothing_new",
)


def _stage(name: str, argv: list[str], env: dict) -> dict:
    """Run one stage in a child process; return wall seconds and peak RSS."""
    wrapper = (
        "import resource, runpy, sys, time\n"
        "start = time.perf_counter()\n"
        "sys.argv = sys.argv[1:]\n"
        "code = 0\n"
        "try:\n"
        "    runpy.run_module(sys.argv[0], run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    code = exit.code or 0\n"
        "wall = time.perf_counter() - start\n"
        # VmHWM is this program's own high-water mark; ru_maxrss would also
        # count the bench's memory at the fork (Linux carries it over exec).
        "try:\n"
        "    peak = next(int(line.split()[1]) for line in open('/proc/self/status')\n"
        "                if line.startswith('VmHWM:'))\n"
        "except (OSError, StopIteration):\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(f'@@BENCH {wall} {peak} {code}', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", wrapper, *argv],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    marker = [line for line in process.stderr.splitlines() if "@@BENCH" in line]
    if process.returncode != 0 or not marker:
        tail = (process.stdout + process.stderr)[-4000:]
        raise RuntimeError(f"bench stage {name} failed:\n{tail}")
    _tag, wall, peak_kib, _code = marker[-1].split()
    stage = {"stage": name, "seconds": float(wall), "peak_mib": int(peak_kib) / 1024}
    if argv[:2] == ["itfm.cli", "build"]:
        stage.update(_dbt_timings())
    return stage


# dbt build arguments for the models alone (tests are a stage of their own).
MODELS_ONLY = [
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
]
# Telemetry files and the column that dates their rows (ISO dates or timestamps).
DATED_FILES = {
    "k8s_usage": "usage_date",
    "business_metrics": "metric_date",
    "ci_builds": "started_at",
    "observability_usage": "usage_date",
    "cloud_assets": "snapshot_date",
    "deployments": "deployed_at",
}


def day_before(landing: Path, before: Path) -> str:
    """Write `before`: the landing folder as it was a day earlier (cached).

    Rows dated on the last generated day are left out: the last billing period's
    FOCUS files lose that day's charges (a provider's month-to-date export) and
    the telemetry files lose that day. Every other file is a hard link, byte for
    byte the same, so loading `landing` after `before` re-delivers just the last
    period and the telemetry: the benchmark's "one more day".
    """
    import datetime as dt

    import duckdb

    truth = json.loads((landing / "_truth.json").read_text())
    last = dt.date.fromisoformat(truth["start"]) + dt.timedelta(days=truth["days"] - 1)
    period = f"billing_period={last:%Y-%m}"
    marker = before / "_truth.json"
    if marker.exists():
        return last.isoformat()
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for path in sorted(landing.rglob("*")):
        if not path.is_file() or path == landing / "_truth.json":
            continue  # _truth.json last: it marks the folder complete
        rel = path.relative_to(landing)
        target = before / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        column = DATED_FILES.get(rel.parts[0])
        if rel.parts[0] == "focus" and period in rel.parts:
            column = "ChargePeriodStart"
        if column is None:
            os.link(path, target)
            continue
        _copy_before(con, path, target, column, last)
    con.close()
    os.link(landing / "_truth.json", marker)
    return last.isoformat()


def _copy_before(con, path: Path, target: Path, column: str, last) -> None:
    """A dated file without the rows of its last day."""
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    options = "" if reader == "read_parquet" else ", all_varchar = true"
    keep = f"cast(try_cast({column} as timestamp) as date) < '{last}'"
    if column == "ChargePeriodStart":  # monthly rows start on the 1st: kept
        keep = f"cast({column} as date) < '{last}'"
    fmt = (
        "format parquet, kv_metadata {focus_version: '1.2'}"
        if reader == "read_parquet"
        else "format csv, header"
    )
    con.execute(
        f"copy (select * from {reader}('{path}'{options}) where {keep}) "
        f"to '{target}' ({fmt})"
    )


def _sql_stage(name: str, database: Path, script: Path, env: dict) -> dict:
    return _stage(name, ["itfm.bench", "--run-sql", str(database), str(script)], env)


def run_sql(database: str, script: str) -> None:
    """Run a SQL script against a warehouse file (a bench stage)."""
    import duckdb

    con = duckdb.connect(database)
    try:
        con.execute(Path(script).read_text())
    finally:
        con.close()


REFERENCE = PROJECT_DIR / "bench" / "reference_core.sql"


def _focus_files(landing: Path) -> str:
    """The FOCUS Parquet files under `landing`/focus, as a SQL list literal."""
    files = sorted((Path(landing) / "focus").rglob("*.parquet"))
    if not files:
        raise RuntimeError(f"no FOCUS Parquet files under {landing}/focus")
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def reference_sql(landing: Path, seeds: Path | None = None) -> str:
    """The reference script for the FOCUS Parquet files under `landing`/focus."""
    listed = _focus_files(landing)
    seeds = str(seeds or PROJECT_DIR / "seeds").replace("'", "''")
    return REFERENCE.read_text().replace("${focus}", listed).replace("${seeds}", seeds)


def run_reference(landing: str, database: str) -> None:
    """Run the reference over the landing folder into a database of its own."""
    import duckdb

    for path in (Path(database), Path(database + ".wal")):
        path.unlink(missing_ok=True)
    con = duckdb.connect(database)
    try:
        con.execute(reference_sql(Path(landing)))
    finally:
        con.close()


def engine_copy(landing: str, database: str) -> None:
    """The engine's floor for a load: one plain copy of the landing FOCUS files
    into a DuckDB table (no checks, no lineage), in a database of its own."""
    import duckdb

    listed = _focus_files(Path(landing))
    for path in (Path(database), Path(database + ".wal")):
        path.unlink(missing_ok=True)
    con = duckdb.connect(database)
    try:
        con.execute(
            "create table line_items as select * from "
            f"read_parquet({listed}, union_by_name = true)"
        )
        con.execute("checkpoint")
    finally:
        con.close()


def fact_copy(database: str, copy: str) -> None:
    """The engine's cost of writing the fact once: a plain copy of the built
    `fct_billing_line_items` (no joins, no checks) into a database of its own.
    With the plain copy of the landing files, the floor of any path that
    writes the line items twice (the raw copy and the fact)."""
    import duckdb

    for path in (Path(copy), Path(copy + ".wal")):
        path.unlink(missing_ok=True)
    con = duckdb.connect(copy)
    try:
        quoted = database.replace("'", "''")
        con.execute(f"attach '{quoted}' as warehouse (read_only)")
        con.execute(
            "create table line_items as "
            "select * from warehouse.main.fct_billing_line_items"
        )
        con.execute("checkpoint")
    finally:
        con.close()


def _dbt_timings(count: int = 8) -> dict:
    """From the last dbt invocation (run_results.json): its elapsed seconds, the
    seconds its nodes ran in all (on two threads, more than the elapsed time
    when both are busy) and the nodes that took longest."""
    path = PROJECT_DIR / "target" / "run_results.json"
    try:
        run_results = json.loads(path.read_text())
        results = run_results["results"]
    except (OSError, ValueError, KeyError):
        return {"slowest": []}
    ranked = sorted(results, key=lambda r: -float(r.get("execution_time") or 0))
    return {
        "dbt_elapsed_seconds": float(run_results.get("elapsed_time") or 0),
        "node_seconds": sum(float(r.get("execution_time") or 0) for r in results),
        "slowest": [
            {
                "node": r["unique_id"].split(".", 2)[-1],
                "seconds": round(float(r["execution_time"]), 2),
            }
            for r in ranked[:count]
        ],
    }


def _warehouse_size(database: Path) -> tuple[int, int, int]:
    """Line items, bytes of the warehouse file, and bytes of its blocks in use
    (the file also keeps the free blocks rebuilt tables left, for reuse)."""
    import duckdb

    con = duckdb.connect(str(database))
    try:
        con.execute("checkpoint")
        rows = con.execute("select count(*) from raw.focus_line_items").fetchone()[0]
        used = con.execute(
            "select block_size * used_blocks from pragma_database_size()"
        ).fetchone()[0]
    finally:
        con.close()
    return rows, database.stat().st_size, used


def _differing_rows(con, left: str, right: str) -> int:
    """Rows of one table not in the other, both ways (EXCEPT ALL: duplicates count)."""
    return con.execute(
        f"select count(*) from ((select * from {left} except all "
        f"select * from {right}) union all (select * from {right} "
        f"except all select * from {left}))"
    ).fetchone()[0]


def compare(database: Path, reference: Path) -> dict:
    """Row-for-row comparison of the project's core outputs (bench.project_* in
    `database`) and the reference's (bench.core_* in `reference`), over the
    billing accounts the reference read."""
    import duckdb

    con = duckdb.connect(str(database))
    try:
        con.execute(f"attach '{reference}' as reference (read_only)")
        result = {}
        for project, script in (
            ("bench.project_daily", "reference.bench.core_daily"),
            ("bench.project_unmapped", "reference.bench.core_unmapped"),
        ):
            scoped = (
                f"(select * from {project} where billing_account_id in "
                f"(select billing_account_id from {script}))"
            )
            differing = _differing_rows(con, scoped, script)
            rows = con.execute(f"select count(*) from {script}").fetchone()[0]
            result[project.split(".")[1]] = {"rows": rows, "differing_rows": differing}
        return result
    finally:
        con.close()


def differing_tables(database: Path, reference: Path) -> dict[str, int]:
    """Rows in one warehouse's tables and not in the other's, per table (EXCEPT ALL
    both ways over every table of schema main); empty when they are equal."""
    import duckdb

    con = duckdb.connect(str(database))  # may share an open instance (dbt's):
    alias = f"reference_{abs(hash(str(reference)))}"  # attach under a fresh name
    try:
        con.execute(f"attach '{reference}' as {alias} (read_only)")
        tables = [
            r[0]
            for r in con.execute(
                """select table_name from information_schema.tables
                where table_catalog = current_database() and table_schema = 'main'
                    and table_type = 'BASE TABLE'
                    -- the log of builds differs by nature (ids and times)
                    and table_name != 'itfm_build_runs'
                order by 1"""
            ).fetchall()
        ]
        if "fct_billing_line_items" not in tables or len(tables) < 30:
            raise RuntimeError(f"{database} holds no built warehouse ({tables})")
        differing = {}
        for table in tables:
            count = _differing_rows(con, f"main.{table}", f"{alias}.main.{table}")
            if count:
                differing[table] = count
        return differing
    finally:
        con.execute(f"detach {alias}")
        con.close()


def _check_incremental(database: Path, env: dict) -> tuple[dict, dict]:
    """Rebuild a copy of the incrementally built warehouse with --full-refresh and
    compare every table; returns the stage and the comparison."""
    import shutil

    copy = database.with_name(f"{database.stem}_full_refresh.duckdb")
    for path in (copy, Path(str(copy) + ".wal")):
        path.unlink(missing_ok=True)
    shutil.copyfile(database, copy)
    stage = _stage(
        "dbt_full_refresh_check",
        ["itfm.cli", "build", "--full-refresh", *MODELS_ONLY],
        dict(env, ITFM_DB=str(copy)),
    )
    differing = differing_tables(database, copy)
    copy.unlink()
    return stage, {"differing_tables": differing, "equal": not differing}


# Scales where --check-incremental is on by default (a second full build is cheap).
CHECKED_SCALES = ("demo", "1m")


def run(
    scale: str = "medium",
    out: Path | None = None,
    check_incremental: bool | None = None,
) -> dict:
    if check_incremental is None:
        check_incremental = scale in CHECKED_SCALES
    root = PROJECT_DIR / "data" / "bench"
    landing = root / scale
    database = root / f"{scale}.duckdb"
    env = _bench_env(root, database)
    stages, before, last_day = _prepare(scale, root, env)
    equality, copy_bytes = _full_and_core_stages(scale, root, before, env, stages)
    build = ["itfm.cli", "build"]
    # One more day: the last period's billing and the telemetry are re-delivered.
    stages.append(
        _stage(
            "load_one_more_day", ["itfm.cli", "load", "--landing", str(landing)], env
        )
    )
    stages.append(_stage("dbt_incremental", [*build, *MODELS_ONLY], env))
    # Nothing new since: what any incremental build costs at least.
    stages.append(_stage("dbt_nothing_new", [*build, *MODELS_ONLY], env))
    incremental_check = None
    if check_incremental:
        stage, incremental_check = _check_incremental(database, env)
        stages.append(stage)
    figures = _figures(scale, stages, database, before)
    figures.update(
        incremental_day=last_day,
        equality=equality,
        incremental_equals_full_refresh=incremental_check,
        engine_copy_bytes_per_line_item=copy_bytes / figures["line_items"],
    )
    out = out or PROJECT_DIR / "bench" / "results" / f"{scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


def _full_and_core_stages(
    scale: str, root: Path, before: Path, env: dict, stages: list[dict]
) -> tuple[dict, int]:
    """The load, the full build, the core path, the reference and the engine's
    floor, appended to `stages`; returns the outputs' equality and the bytes of
    the engine's plain copy."""
    import shutil

    database = Path(env["ITFM_DB"])
    reference = root / f"{scale}_reference.duckdb"
    build = ["itfm.cli", "build"]
    stages.append(_stage("load", ["itfm.cli", "load", "--landing", str(before)], env))
    stages[-1]["warehouse_bytes"] = database.stat().st_size
    # The warehouse as the load left it: the pipeline as a user runs it (one
    # `itfm build` of every model and test) builds it first, then this copy
    # takes its place for the stages that time the models and tests apart.
    # Every dbt stage reads the same ITFM_DB: dbt parses the project again
    # whenever the profile changes (about 4 s), which a user's runs never do.
    loaded = root / f"{scale}_loaded.duckdb"
    shutil.copyfile(database, loaded)
    _parse(env)
    for name, args in (
        # One invocation: models and tests interleaved, as `itfm build` runs them.
        ("dbt_build", build),
        ("dbt_models", [*build, *MODELS_ONLY]),
        ("dbt_tests", [*build, "--resource-type", "test"]),
        # Incremental models would skip the unchanged periods: rebuild.
        ("dbt_core_models", [*build, "--full-refresh", *CORE_MODELS, *MODELS_ONLY]),
    ):
        stages.append(_stage(name, args, env))
        stages[-1]["warehouse_bytes"] = database.stat().st_size
        if name == "dbt_build":
            Path(str(database) + ".wal").unlink(missing_ok=True)
            shutil.move(loaded, database)
    project_core = PROJECT_DIR / "bench" / "project_core.sql"
    stages.append(_sql_stage("project_core_query", database, project_core, env))
    reference_args = ["itfm.bench", "--reference", str(before), str(reference)]
    stages.append(_stage("reference_core", reference_args, env))
    copy = root / f"{scale}_engine_copy.duckdb"
    copy_args = ["itfm.bench", "--engine-copy", str(before), str(copy)]
    stages.append(_stage("engine_copy", copy_args, env))
    copy_bytes = copy.stat().st_size
    copy.unlink()
    fact_args = ["itfm.bench", "--fact-copy", str(database), str(copy)]
    stages.append(_stage("fact_copy", fact_args, env))
    copy.unlink()
    return compare(database, reference), copy_bytes


def _parse(env: dict) -> None:
    """dbt's parse of the project for the bench's profile, before the timed
    stages (a user's next run reuses it; the bench's stages would otherwise
    time a parse after the ci or test runs)."""
    code = "from itfm.project import run_dbt; run_dbt(['parse'])"
    process = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if process.returncode != 0:
        tail = (process.stdout + process.stderr)[-4000:]
        raise RuntimeError(f"bench: dbt parse failed:\n{tail}")


def _bench_env(root: Path, database: Path) -> dict:
    return dict(
        os.environ,
        ITFM_DB=str(database),
        ITFM_TEMP_DIR=str(root / "tmp"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )


def _prepare(scale: str, root: Path, env: dict) -> tuple[list[dict], Path, str]:
    """Generate the scale's data once; write the day before its last day; start
    from an empty warehouse. Returns (stages run, day-before folder, last day)."""
    landing = root / scale
    database = Path(env["ITFM_DB"])
    stages = []
    if not (landing / "_truth.json").exists():
        # The hand-written SQL core path reads FOCUS exports.
        generate = ["itfm.cli", "generate", "--out", str(landing), "--scale"]
        generate += [
            SCALES[scale][0],
            "--days",
            str(SCALES[scale][1]),
            "--billing-format",
            "focus",
        ]
        stages.append(_stage("generate", generate, env))
    # The warehouse is built from the day before, then the last day arrives.
    before = root / f"{scale}_day_before"
    last_day = day_before(landing, before)
    for path in (database, Path(str(database) + ".wal")):
        path.unlink(missing_ok=True)
    return stages, before, last_day


CORE_MODELS = ["--select", "+int_line_items_attributed"]


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _peak(scale: str, by_name: dict) -> tuple[float, int]:
    """The peak memory (MiB) of itfm's own stages, not the generator's, the
    reference's or the plain copy's, and the issue's target for the scale."""
    peak = max(by_name[name]["peak_mib"] for name in PROJECT_STAGES if name in by_name)
    return peak, PEAK_TARGET_MIB.get(scale, PEAK_TARGET_MIB["medium"])


def _figures(scale: str, stages: list[dict], database: Path, before: Path) -> dict:
    """The run's figures and the issue's targets, from its stages (the engine's
    floor: a plain copy of the files plus the reference)."""
    by_name = {s["stage"]: s for s in stages}
    seconds = {name: stage["seconds"] for name, stage in by_name.items()}
    project_core = (
        seconds["load"] + seconds["dbt_core_models"] + seconds["project_core_query"]
    )
    reference_core = seconds["reference_core"]
    # The pipeline as a user runs it: the load, then one `itfm build`.
    full_pipeline = seconds["load"] + seconds["dbt_build"]
    separate = seconds["load"] + seconds["dbt_models"] + seconds["dbt_tests"]
    full_build = seconds["dbt_models"]
    incremental = seconds["dbt_incremental"]
    rows, warehouse_bytes, used_bytes = _warehouse_size(database)
    first_build = by_name["dbt_tests"]["warehouse_bytes"]
    landing_bytes = sum(
        p.stat().st_size for p in (before / "focus").rglob("*") if p.is_file()
    )
    peak, peak_target = _peak(scale, by_name)
    return {
        "scale": scale,
        "line_items": rows,
        "machine": _machine(),
        "stages": stages,
        "project_core_seconds": project_core,
        "reference_core_seconds": reference_core,
        "core_ratio": project_core / reference_core,
        "full_pipeline_seconds": full_pipeline,
        "full_pipeline_ratio": full_pipeline / reference_core,
        "full_pipeline_separate": [separate, separate / reference_core],
        "warehouse_bytes_per_line_item": warehouse_bytes / rows,
        "warehouse_used_bytes_per_line_item": used_bytes / rows,
        **_floor_figures(seconds, database, landing_bytes),
        "landing_bytes_per_line_item": landing_bytes / rows,
        "warehouse_to_landing": warehouse_bytes / landing_bytes,
        "full_build_seconds": full_build,
        "full_build_peak_mib": peak,
        "peak_target_mib": peak_target,
        **_incremental_figures(seconds, full_build),
        "warehouse_bytes_per_line_item_after_first_build": first_build / rows,
        "targets": {
            "core_ratio_at_most_3": project_core / reference_core <= 3,
            "full_pipeline_ratio_at_most_10": full_pipeline / reference_core <= 10,
            "peak_under_target": peak < peak_target,
            "incremental_at_most_25_pct": incremental <= 0.25 * full_build,
            "warehouse_at_most_3x_landing": warehouse_bytes <= 3 * landing_bytes,
        },
    }


def _floor_figures(seconds: dict, database: Path, landing_bytes: int) -> dict:
    """What the engine itself costs, as ratios to the reference: a plain copy
    of the landing files, plus a plain copy of the built fact (the two writes
    of the line items); and the bytes of the raw copy and of the fact, as
    multiples of the landing Parquet."""
    reference = seconds["reference_core"]
    two_writes = seconds["engine_copy"] + seconds.get("fact_copy", 0.0)
    table_bytes = _table_bytes(
        database, ("raw.focus_line_items", "main.fct_billing_line_items")
    )
    return {
        "engine_floor_ratio": 1 + seconds["engine_copy"] / reference,
        "fact_copy_seconds": seconds.get("fact_copy"),
        "two_writes_floor_ratio": two_writes / reference,
        "raw_copy_to_landing": table_bytes["raw.focus_line_items"] / landing_bytes,
        "fact_to_landing": table_bytes["main.fct_billing_line_items"] / landing_bytes,
    }


def _table_bytes(database: Path, tables: tuple[str, ...]) -> dict[str, int]:
    """Bytes of the storage blocks each table's columns use in the file."""
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        block = con.execute("select block_size from pragma_database_size()").fetchone()
        return {
            table: block[0]
            * con.execute(
                "select count(distinct block_id) from pragma_storage_info(?) "
                "where block_id >= 0",
                [table],
            ).fetchone()[0]
            for table in tables
        }
    finally:
        con.close()


def _incremental_figures(seconds: dict, full_build: float) -> dict:
    """The incremental build after one day and the build with nothing new
    (dbt's fixed cost), in seconds and as shares of the models' full build."""
    figures = {}
    for name, stage in (
        ("incremental", "dbt_incremental"),
        ("nothing_new", "dbt_nothing_new"),
    ):
        figures[f"{name}_build_seconds"] = seconds[stage]
        figures[f"{name}_share_of_full"] = seconds[stage] / full_build
    return figures


CURVE = ("demo", "1m", "medium", "large")


def curve(check_incremental: bool | None = None) -> dict:
    """Run the benchmark at each size of CURVE, one after the other, and report
    how the full build's time and memory grow with the line items."""
    runs = [run(scale, check_incremental=check_incremental) for scale in CURVE]
    points = []
    for figures in runs:
        points.append(
            {
                "scale": figures["scale"],
                "line_items": figures["line_items"],
                "full_build_seconds": figures["full_build_seconds"],
                "full_build_peak_mib": figures["full_build_peak_mib"],
                "incremental_build_seconds": figures["incremental_build_seconds"],
                "core_ratio": figures["core_ratio"],
            }
        )
    smallest = points[0]
    for point in points[1:]:
        extra_rows = point["line_items"] - smallest["line_items"]
        extra_seconds = point["full_build_seconds"] - smallest["full_build_seconds"]
        point["marginal_us_per_line_item"] = 1e6 * extra_seconds / extra_rows
    result = {"points": points, "runs": runs}
    out = PROJECT_DIR / "bench" / "results" / "curve.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return result


def render_curve(result: dict) -> str:
    lines = [render(figures) + "\n" for figures in result["runs"]]
    lines.append(
        f"{'scale':<8}{'line items':>12}{'full s':>9}{'peak MiB':>10}"
        f"{'incr. s':>9}{'core ratio':>11}{'µs/item above demo':>20}"
    )
    for point in result["points"]:
        marginal = point.get("marginal_us_per_line_item")
        lines.append(
            f"{point['scale']:<8}{point['line_items']:>12,}"
            f"{point['full_build_seconds']:>9.1f}{point['full_build_peak_mib']:>10.0f}"
            f"{point['incremental_build_seconds']:>9.1f}{point['core_ratio']:>11.2f}"
            + (f"{marginal:>20.1f}" if marginal is not None else f"{'':>20}")
        )
    return "\n".join(lines)


def render(figures: dict) -> str:
    rows = figures["line_items"]
    lines = [
        f"itfm bench, scale {figures['scale']}: {rows:,} billing line items",
        f"{'stage':<22}{'seconds':>10}{'rows/s':>14}{'peak MiB':>10}",
    ]
    for stage in figures["stages"]:
        rate = rows / stage["seconds"] if stage["seconds"] else 0
        lines.append(
            f"{stage['stage']:<22}{stage['seconds']:>10.1f}{rate:>14,.0f}"
            f"{stage['peak_mib']:>10.0f}"
        )
    lines += _target_lines(figures)
    check = figures.get("incremental_equals_full_refresh")
    if check is not None:
        lines.append(
            "incremental build vs --full-refresh, every table: "
            + ("equal" if check["equal"] else f"DIFFERENT {check['differing_tables']}")
        )
    for name, check in figures["equality"].items():
        lines.append(
            f"equality {name}: {check['rows']:,} rows, "
            f"{check['differing_rows']} differing"
        )
    return "\n".join(lines)


def _target_lines(figures: dict) -> list[str]:
    """One line per target of issue 22: the figure and whether it is met."""
    lines: list[str] = []
    targets = {
        key: "met" if ok else "NOT met" for key, ok in figures["targets"].items()
    }
    lines.append(
        f"core path: project {figures['project_core_seconds']:.1f} s, reference "
        f"over the landing files {figures['reference_core_seconds']:.1f} s, ratio "
        f"{figures['core_ratio']:.2f} (target <= 3: {targets['core_ratio_at_most_3']})"
    )
    lines.append(
        "full pipeline (load + one itfm build of every model and test) "
        f"{figures['full_pipeline_seconds']:.1f} s, ratio to the reference "
        f"{figures['full_pipeline_ratio']:.1f} "
        f"(target <= 10: {targets['full_pipeline_ratio_at_most_10']}); as separate "
        "invocations (load + models + tests) "
        f"{figures['full_pipeline_separate'][0]:.1f} s, "
        f"{figures['full_pipeline_separate'][1]:.1f}"
    )
    lines.append(
        f"peak memory of itfm's stages {figures['full_build_peak_mib']:.0f} MiB "
        f"(target < {figures['peak_target_mib'] / 1024:.0f} GiB: "
        f"{targets['peak_under_target']})"
    )
    lines.append(
        f"incremental build after one more day ({figures['incremental_day']}): "
        f"{figures['incremental_build_seconds']:.1f} s = "
        f"{100 * figures['incremental_share_of_full']:.1f}% of the full build "
        f"(target <= 25%: {targets['incremental_at_most_25_pct']}); the same "
        f"build with nothing new, dbt's fixed cost: "
        f"{figures['nothing_new_build_seconds']:.1f} s = "
        f"{100 * figures['nothing_new_share_of_full']:.1f}%"
    )
    lines.append(
        f"storage: warehouse {figures['warehouse_bytes_per_line_item']:.0f} bytes per "
        f"line item ({figures['warehouse_used_bytes_per_line_item']:.0f} in use; "
        f"{figures['warehouse_bytes_per_line_item_after_first_build']:.0f} after "
        "the first build), "
        f"landing files {figures['landing_bytes_per_line_item']:.0f}, "
        f"{figures['warehouse_to_landing']:.1f}x "
        f"(target <= 3x: {targets['warehouse_at_most_3x_landing']})"
    )
    return lines + _floor_lines(figures)


def _floor_lines(figures: dict) -> list[str]:
    """What the engine itself costs: a plain copy of the files, and where the
    dbt builds spent their time."""
    lines = [
        f"engine floor: a plain copy of the landing files into DuckDB "
        f"({figures.get('engine_copy_bytes_per_line_item', 0):.0f} bytes per line "
        f"item) plus the reference is {figures['engine_floor_ratio']:.2f}x the "
        "reference"
    ]
    if figures.get("fact_copy_seconds") is not None:
        lines.append(
            "two writes of the line items: that copy plus a plain copy of the "
            f"built fact ({figures['fact_copy_seconds']:.1f} s) is "
            f"{figures['two_writes_floor_ratio']:.2f}x the reference, with no "
            "join, check or query (the core path's floor)"
        )
    if "fact_to_landing" in figures:
        lines.append(
            f"storage by table: the raw copy {figures['raw_copy_to_landing']:.1f}x "
            f"the landing Parquet, the fact {figures['fact_to_landing']:.1f}x"
        )
    for stage in figures["stages"]:
        if stage.get("slowest"):
            slowest = ", ".join(
                f"{m['node']} {m['seconds']:.1f}" for m in stage["slowest"][:5]
            )
            lines.append(
                f"{stage['stage']}: dbt {stage.get('dbt_elapsed_seconds', 0):.1f} s "
                f"elapsed, nodes {stage.get('node_seconds', 0):.1f} s; "
                f"slowest: {slowest}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    # The stages the bench runs in child processes: (argument, its two paths).
    helpers = {
        "run_sql": (run_sql, ("DATABASE", "SCRIPT")),
        "reference": (run_reference, ("LANDING", "DATABASE")),
        "engine_copy": (engine_copy, ("LANDING", "DATABASE")),
        "fact_copy": (fact_copy, ("WAREHOUSE", "DATABASE")),
    }
    parser = argparse.ArgumentParser(prog="itfm bench")
    parser.add_argument("--scale", default="medium", choices=[*SCALES, "curve"])
    for name, (_function, metavar) in helpers.items():
        parser.add_argument(
            "--" + name.replace("_", "-"),
            nargs=2,
            metavar=metavar,
            help=argparse.SUPPRESS,
        )
    args = parser.parse_args(argv)
    for name, (function, _metavar) in helpers.items():
        if getattr(args, name):
            function(*getattr(args, name))
            return 0
    if args.scale == "curve":
        print(render_curve(curve()))
        return 0
    figures = run(args.scale)
    print(render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
