"""Session fixtures: one generated landing folder and one warehouse built once.

The warehouse is built with dbt's programmatic runner (dbt is not safe to run
concurrently: do not run these tests under xdist).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from itfm.generate import generate
from itfm.load import load

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_DIR / "tests" / "fixtures"


def run_dbt(database: Path, args: list[str]):
    """Invoke dbt in-process against `database` (ci target); return the result."""
    from dbt.cli.main import dbtRunner

    os.environ["ITFM_DB"] = str(database)
    cwd = Path.cwd()
    os.chdir(PROJECT_DIR)
    try:
        return dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR / "profiles"),
                "--target",
                "ci",
                "--target-path",
                str(database.parent / "dbt_target"),
                "--log-path",
                str(database.parent / "dbt_logs"),
            ]
        )
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def landing(tmp_path_factory) -> Path:
    """Generated ci-scale data plus a messy FOCUS export nobody here wrote and
    a FOCUS 1.0 export with the provider-side defects real files carry."""
    root = tmp_path_factory.mktemp("landing")
    generate(root, "ci", 62, 7)
    shutil.copytree(FIXTURES / "foreign_focus", root / "focus" / "foreign")
    shutil.copytree(
        FIXTURES / "provider_defects",
        root / "focus" / "provider_defects",
        ignore=shutil.ignore_patterns("*.md"),
    )
    return root


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory, landing) -> dict:
    """Load the landing folder and `dbt build` once; return paths and results."""
    database = tmp_path_factory.mktemp("warehouse") / "itfm.duckdb"
    load_result = load(database, landing)
    build = run_dbt(database, ["build"])
    return {
        "database": database,
        "landing": landing,
        "load": load_result,
        "build": build,
    }


@pytest.fixture
def con(warehouse):
    import duckdb

    connection = duckdb.connect(str(warehouse["database"]))
    connection.execute("set TimeZone = 'UTC'")
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> dict:
    """The demo data (`make demo`'s scale, seed and dates) with the operations
    marts built: the operations issue's acceptance criteria are stated on it."""
    root = tmp_path_factory.mktemp("demo")
    landing = root / "landing"
    generate(landing, "demo", 184, 42)
    database = root / "itfm.duckdb"
    load(database, landing)
    selection = (
        "+fct_cost_alerts +fct_waste_daily +fct_forecast_accuracy_monthly"
        " +fct_cost_forecasts_daily +fct_deploy_cost_changes"
        " +fct_k8s_workload_scaling_daily"
    )
    result = run_dbt(
        database,
        ["build", "--select", selection, "--exclude-resource-type", "test"]
        + ["--exclude-resource-type", "unit_test"],
    )
    assert result.success, result.exception
    return {"database": database, "landing": landing}


@pytest.fixture
def demo_con(demo_warehouse):
    import duckdb

    connection = duckdb.connect(str(demo_warehouse["database"]))
    yield connection
    connection.close()


# The billing fact and attribution, with every test whose inputs are all built.
BILLING_ONLY = [
    "build",
    "--select",
    "+fct_billing_line_items +int_line_items_attributed +stg_finance__invoices"
    " +fct_data_quality_monthly focus_columns",
    "--indirect-selection",
    "cautious",
]


def build_billing(root: Path, landing: Path) -> Path:
    database = root / "itfm.duckdb"
    load(database, landing)
    result = run_dbt(database, BILLING_ONLY)
    failures = [
        (r.node.name, str(r.status))
        for r in result.result.results
        if str(r.status) not in ("success", "pass", "warn")
    ]
    assert not failures, failures
    return database


@pytest.fixture(scope="session")
def focus_warehouse(tmp_path_factory) -> Path:
    """The ci data's spend written as FOCUS Parquet (every provider), loaded and
    built up to the billing fact and attribution."""
    root = tmp_path_factory.mktemp("focus_format")
    generate(root / "landing", "ci", 62, 7, billing_format="focus")
    return build_billing(root, root / "landing")
