"""The semantic layer through MetricFlow (`mf`, dbt-metricflow): its configs
validate, and `mf query` returns the marts' numbers.

`mf` reads `<project root>/target/semantic_manifest.json`. The test gives it a
project root of its own (the project's dbt_project.yml, and as target/ the
session build's dbt target folder), so it reads the manifest of the build it
queries, and the profile's dev target pointed at a copy of the session
warehouse."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

PROJECT_DIR = Path(__file__).resolve().parents[3]
MF = Path(sys.executable).parent / "mf"


@pytest.fixture(scope="module")
def mf(warehouse, tmp_path_factory):
    import shutil

    built = Path(warehouse["database"])
    root = tmp_path_factory.mktemp("mf_project")
    (root / "dbt_project.yml").symlink_to(PROJECT_DIR / "dbt_project.yml")
    (root / "target").symlink_to(built.parent / "dbt_target")
    # A copy of the warehouse under the same file name (so the same database
    # name): the tests' own connection holds the original's lock.
    import duckdb

    with duckdb.connect(str(built)) as writer:  # the WAL into the file first
        writer.execute("checkpoint")
    database = root / "warehouse" / built.name
    database.parent.mkdir()
    shutil.copy(built, database)
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(PROJECT_DIR / "profiles"),
        ITFM_DB=str(database),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(MF), *args], cwd=root, env=env, capture_output=True, text=True
        )

    def query(metrics: str, group_by: str) -> list[dict]:
        out = root / f"{metrics.replace(',', '_')}__{group_by.replace(',', '_')}.csv"
        done = run(
            "query", "--quiet", "--metrics", metrics, "--group-by", group_by,
            "--csv", str(out),
        )  # fmt: skip
        assert done.returncode == 0 and out.exists(), done.stdout + done.stderr
        with out.open() as rows:
            return list(csv.DictReader(rows))

    run.query = query
    return run


def _month(text: str) -> str:
    return text[:7]


def test_the_semantic_configs_validate(mf):
    done = mf("validate-configs", "--skip-dw")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ERRORS: 0" in done.stdout


def test_effective_cost_by_month_and_team_is_the_marts(mf, con):
    rows = mf.query("effective_cost,billed_cost", "metric_time__month,cost_daily__team")
    got = {
        (_month(r["metric_time__month"]), r["cost_daily__team"]): (
            float(r["effective_cost"]),
            float(r["billed_cost"]),
        )
        for r in rows
    }
    expected = {
        (str(month)[:7], team): (float(effective), float(billed))
        for month, team, effective, billed in con.execute(
            """select date_trunc('month', charge_date), x_team,
                sum(x_effective_cost_reporting), sum(x_billed_cost_reporting)
            from main.fct_cost_daily_by_owner group by 1, 2"""
        ).fetchall()
    }
    assert got.keys() == expected.keys()
    for key, (effective, billed) in expected.items():
        assert got[key][0] == pytest.approx(effective, abs=0.005), key
        assert got[key][1] == pytest.approx(billed, abs=0.005), key


def test_unit_costs_and_shares_are_the_marts(mf, con):
    rows = mf.query(
        "cost_per_transaction", "metric_time__month,unit_cost_monthly__product"
    )
    expected = {
        (str(month)[:7], product): float(value)
        for month, product, value in con.execute(
            """select charge_month, x_product, x_cost_per_transaction_reporting
            from main.fct_unit_costs_monthly
            where x_cost_per_transaction_reporting is not null"""
        ).fetchall()
    }
    got = {
        (_month(r["metric_time__month"]), r["unit_cost_monthly__product"]): float(
            r["cost_per_transaction"]
        )
        for r in rows
        if r["cost_per_transaction"]
    }
    assert expected and got.keys() == expected.keys()
    # The mart holds the quotient as money (ten decimals); MetricFlow divides
    # the sums in double.
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-10), key

    shares = mf.query("unmapped_cost_share", "metric_time__month")
    expected_shares = dict(
        con.execute(
            """select strftime(billing_month, '%Y-%m'),
                sum(x_unmapped_effective_cost_reporting)
                / sum(x_effective_cost_reporting)
            from main.fct_unmapped_cost_monthly group by 1"""
        ).fetchall()
    )
    assert {_month(r["metric_time__month"]) for r in shares} == set(expected_shares)
    for r in shares:
        assert float(r["unmapped_cost_share"]) == pytest.approx(
            float(expected_shares[_month(r["metric_time__month"])]), rel=1e-9
        )


def test_anomaly_count_and_idle_share_are_the_marts(mf, con):
    counted = sum(
        int(float(r["anomaly_count"]))
        for r in mf.query("anomaly_count", "metric_time__month")
    )
    assert (
        counted
        == con.execute(
            "select count(*) from main.fct_cost_anomalies where not is_suppressed"
        ).fetchone()[0]
    )
    idle = {
        _month(r["metric_time__month"]): float(r["k8s_idle_share"])
        for r in mf.query("k8s_idle_share", "metric_time__month")
    }
    expected = dict(
        con.execute(
            """select strftime(billing_month, '%Y-%m'),
                sum(idle_effective_cost) / sum(effective_cost)
            from main.fct_k8s_idle_monthly group by 1"""
        ).fetchall()
    )
    assert idle.keys() == expected.keys()
    for month, share in expected.items():
        assert idle[month] == pytest.approx(float(share), rel=1e-9)
