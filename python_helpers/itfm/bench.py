"""`itfm bench`: time and memory of the pipeline against hand-written DuckDB SQL.

Each stage runs in its own process, so its wall time and peak memory (the
process's high-water mark of resident memory) are measured alone:

1. generate the data (cached under data/bench/<scale>/, not timed again);
2. `itfm load` into a fresh warehouse file;
3. `dbt build` of the models (tests excluded), then the tests alone;
4. the project's core outputs read from its models (bench/project_core.sql);
5. the hand-written core path (bench/core_path.sql) over the same raw table;
6. an equality check of the two core outputs.

It prints a table and the ratio of the project's core path (load + models up to
attribution + the core query) to the SQL script (load + script), and writes the
figures to bench/results/<scale>.json. Targets are reported, never asserted.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCALES = {
    "demo": ("demo", 184),
    "1m": ("1m", 184),
    "medium": ("medium", 184),
    "large": ("large", 184),
}


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
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
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
    return {"stage": name, "seconds": float(wall), "peak_mib": int(peak_kib) / 1024}


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


def compare(database: Path) -> dict:
    """Row-for-row comparison of the project's core outputs and the SQL script's."""
    import duckdb

    con = duckdb.connect(str(database))
    try:
        result = {}
        for project, script in (
            ("bench.project_daily", "bench.core_daily"),
            ("bench.project_unmapped", "bench.core_unmapped"),
        ):
            differing = con.execute(
                f"select count(*) from ((select * from {project} except all "
                f"select * from {script}) union all (select * from {script} "
                f"except all select * from {project}))"
            ).fetchone()[0]
            rows = con.execute(f"select count(*) from {project}").fetchone()[0]
            result[project.split(".")[1]] = {"rows": rows, "differing_rows": differing}
        return result
    finally:
        con.close()


def run(scale: str = "medium", out: Path | None = None) -> dict:
    gen_scale, days = SCALES[scale]
    root = PROJECT_DIR / "data" / "bench"
    landing = root / scale
    database = root / f"{scale}.duckdb"
    env = dict(
        os.environ,
        ITFM_DB=str(database),
        ITFM_TEMP_DIR=str(root / "tmp"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    stages = []
    if not (landing / "_truth.json").exists():
        stages.append(
            _stage(
                "generate",
                [
                    "itfm.cli",
                    "generate",
                    "--out",
                    str(landing),
                    "--scale",
                    gen_scale,
                    "--days",
                    str(days),
                    # The hand-written SQL core path reads FOCUS exports.
                    "--billing-format",
                    "focus",
                ],
                env,
            )
        )
    for path in (database, Path(str(database) + ".wal")):
        path.unlink(missing_ok=True)
    stages.append(_stage("load", ["itfm.cli", "load", "--landing", str(landing)], env))
    stages.append(
        _stage(
            "dbt_models",
            [
                "itfm.cli",
                "build",
                "--exclude-resource-type",
                "test",
                "--exclude-resource-type",
                "unit_test",
            ],
            env,
        )
    )
    stages.append(
        _stage("dbt_tests", ["itfm.cli", "build", "--resource-type", "test"], env)
    )
    stages.append(
        _stage(
            "dbt_core_models",
            [
                "itfm.cli",
                "build",
                # Incremental models would skip the unchanged periods: rebuild.
                "--full-refresh",
                "--select",
                "+int_line_items_attributed",
                "--exclude-resource-type",
                "test",
                "--exclude-resource-type",
                "unit_test",
            ],
            env,
        )
    )
    stages.append(
        _sql_stage(
            "project_core_query",
            database,
            PROJECT_DIR / "bench" / "project_core.sql",
            env,
        )
    )
    stages.append(
        _sql_stage(
            "sql_core_path", database, PROJECT_DIR / "bench" / "core_path.sql", env
        )
    )
    by_name = {s["stage"]: s for s in stages}
    project_core = (
        by_name["load"]["seconds"]
        + by_name["dbt_core_models"]["seconds"]
        + by_name["project_core_query"]["seconds"]
    )
    script_core = by_name["load"]["seconds"] + by_name["sql_core_path"]["seconds"]
    import duckdb

    con = duckdb.connect(str(database))
    rows = con.execute("select count(*) from raw.focus_line_items").fetchone()[0]
    con.close()
    figures = {
        "scale": scale,
        "line_items": rows,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "stages": stages,
        "project_core_seconds": project_core,
        "sql_core_seconds": script_core,
        "core_ratio": project_core / script_core,
        "full_build_seconds": by_name["dbt_models"]["seconds"],
        "full_build_peak_mib": by_name["dbt_models"]["peak_mib"],
        "equality": compare(database),
        "targets": {
            "core_ratio_at_most_2": project_core / script_core <= 2,
            "full_build_peak_under_8_gib": by_name["dbt_models"]["peak_mib"] < 8192,
        },
    }
    out = out or PROJECT_DIR / "bench" / "results" / f"{scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


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
    targets = {
        key: "met" if ok else "NOT met" for key, ok in figures["targets"].items()
    }
    lines.append(
        f"core path: project {figures['project_core_seconds']:.1f} s, SQL script "
        f"{figures['sql_core_seconds']:.1f} s, ratio {figures['core_ratio']:.2f}"
        f" (target <= 2: {targets['core_ratio_at_most_2']})"
    )
    lines.append(
        f"full build peak memory {figures['full_build_peak_mib']:.0f} MiB "
        f"(target < 8 GiB: {targets['full_build_peak_under_8_gib']})"
    )
    for name, check in figures["equality"].items():
        lines.append(
            f"equality {name}: {check['rows']:,} rows, "
            f"{check['differing_rows']} differing"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="itfm bench")
    parser.add_argument("--scale", default="medium", choices=list(SCALES))
    parser.add_argument(
        "--run-sql", nargs=2, metavar=("DATABASE", "SCRIPT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.run_sql:
        run_sql(*args.run_sql)
        return 0
    figures = run(args.scale)
    print(render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
