"""Where the dbt project and the warehouse are, and running dbt on them."""

from __future__ import annotations

import os
from pathlib import Path

from itfm.errors import ItfmError

PACKAGE_CHECKOUT = Path(__file__).resolve().parents[2]


def _is_itfm_project(folder: Path) -> bool:
    project = folder / "dbt_project.yml"
    return project.is_file() and any(
        line.strip() == "name: itfm"
        for line in project.read_text(encoding="utf-8").splitlines()
    )


def project_dir() -> Path:
    """The itfm dbt project: $ITFM_PROJECT_DIR, else the nearest folder at or
    above the working directory holding itfm's dbt_project.yml, else the source
    checkout this package is installed from (an editable install)."""
    if os.environ.get("ITFM_PROJECT_DIR"):
        folder = Path(os.environ["ITFM_PROJECT_DIR"]).resolve()
        if not _is_itfm_project(folder):
            raise ItfmError(
                "ITFM-W003",
                f"ITFM_PROJECT_DIR={folder} holds no itfm dbt_project.yml",
            )
        return folder
    for folder in (Path.cwd().resolve(), *Path.cwd().resolve().parents):
        if _is_itfm_project(folder):
            return folder
    if _is_itfm_project(PACKAGE_CHECKOUT):
        return PACKAGE_CHECKOUT
    raise ItfmError(
        "ITFM-W003", f"no itfm dbt_project.yml at or above {Path.cwd().resolve()}"
    )


def database_path(target: str = "dev") -> Path:
    """The warehouse file: $ITFM_DB, else the target's default (relative to the
    working directory)."""
    default = "target/ci.duckdb" if target == "ci" else "warehouse/itfm.duckdb"
    path = Path(os.environ.get("ITFM_DB", default))
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def check_warehouse_free(database: Path) -> None:
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


SPARK_TARGET = "spark"


def raw_parquet_dir(project: Path) -> Path:
    """Where the raw layer's Parquet copy lives: $ITFM_RAW_PARQUET, else
    target/spark/raw under the project."""
    path = Path(os.environ.get("ITFM_RAW_PARQUET", project / "target/spark/raw"))
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def spark_warehouse(project: Path) -> Path:
    """The Spark target's table folder: $ITFM_SPARK_WAREHOUSE, else
    target/spark/warehouse under the project (as the profile says)."""
    path = Path(
        os.environ.get("ITFM_SPARK_WAREHOUSE", project / "target/spark/warehouse")
    )
    return path if path.is_absolute() else (project / path).resolve()


def _with_raw_parquet(args: list[str], database: Path, project: Path) -> list[str]:
    """The dbt arguments for a Spark build: the warehouse's raw schema written
    as Parquet first (itfm.raw_parquet), its tables passed as the var
    raw_parquet_tables (merged with any --vars given)."""
    import json

    import yaml

    from itfm.raw_parquet import export_raw, spark_tables

    out = raw_parquet_dir(project)
    export_raw(database, out)
    variables: dict = {}
    args = list(args)
    if "--vars" in args:
        at = args.index("--vars")
        variables = yaml.safe_load(args[at + 1]) or {}
        del args[at : at + 2]
    variables["raw_parquet_tables"] = spark_tables(out)
    return [*args, "--vars", json.dumps(variables)]


def shown_args(args: list[str]) -> str:
    """The dbt arguments as an error message shows them: without --vars and its
    value (the Spark build's raw table list is long)."""
    previous = ["", *args][: len(args)]
    return " ".join(
        a for a, b in zip(args, previous, strict=True) if "--vars" not in (a, b)
    )


def run_dbt(args: list[str], target: str = "dev") -> None:
    """Run a dbt command with the project's profile; raise ITFM-B001 on failure
    and ITFM-B004 when a build selects nothing."""
    from dbt.cli.main import dbtRunner

    database = database_path(target)
    os.environ["ITFM_DB"] = str(database)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    check_warehouse_free(database)
    project = project_dir()
    if target == SPARK_TARGET and args and args[0] in ("build", "run", "seed", "test"):
        from itfm.spark_session import install

        install()  # Python models (the forecasts) run in this process's session
        if os.environ.get("ITFM_SPARK_EVENT_LOG"):  # Spark needs the folder
            events = Path(os.environ["ITFM_SPARK_EVENT_LOG"]).resolve()
            events.mkdir(parents=True, exist_ok=True)
            os.environ["ITFM_SPARK_EVENT_LOG"] = str(events)
        args = _with_raw_parquet(args, database, project)
    command = [
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project / "profiles"),
        "--target",
        target,
    ]
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = dbtRunner().invoke(command)
    finally:
        os.chdir(cwd)
    if not result.success:
        detail = str(result.exception) if result.exception else "see the log above"
        raise ItfmError("ITFM-B001", f"dbt {shown_args(args)} failed: {detail}")
    ran = getattr(result.result, "results", None)
    if args and args[0] in ("build", "run") and ran is not None and not ran:
        raise ItfmError("ITFM-B004", f"dbt {' '.join(args)} built nothing")
