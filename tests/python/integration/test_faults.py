"""Faults: a load or a build killed midway leaves the previous state readable,
and running again converges to the result of an uninterrupted run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from itfm.generate import generate
from itfm.load import load

pytestmark = pytest.mark.integration
PROJECT_DIR = Path(__file__).resolve().parents[3]


def _start(args: list[str], database: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        ITFM_DB=str(database),
        ITFM_TEMP_DIR=str(database.parent),
        DBT_TARGET_PATH=str(database.parent / "dbt_target"),
        DBT_LOG_PATH=str(database.parent / "dbt_logs"),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "itfm.cli", *args],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _kill_after(process: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _raw_fingerprint(database: Path) -> list[tuple]:
    con = duckdb.connect(str(database))
    try:
        return con.execute(
            """
            select x_source_file, count(*), sum("BilledCost"), sum("EffectiveCost")
            from raw.focus_line_items group by 1 order by 1
            """
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("delay", [0.8, 1.6])
def test_a_killed_load_leaves_a_readable_state_and_converges(tmp_path, delay):
    landing = tmp_path / "landing"
    generate(landing, "demo", 92, 3)
    reference = tmp_path / "reference.duckdb"
    load(reference, landing)
    victim = tmp_path / "victim.duckdb"
    _kill_after(_start(["load", "--landing", str(landing)], victim), delay)
    if victim.exists():
        con = duckdb.connect(str(victim))
        try:
            tables = {r[0] for r in con.execute("show all tables").fetchall()}
            if "load_audit" in tables:
                # Whatever was committed is whole: each audited file is complete.
                loaded = con.execute(
                    "select file_path, rows_loaded from raw.load_audit "
                    "where status = 'loaded'"
                ).fetchall()
                for path, rows in loaded:
                    count = (
                        con.execute(
                            "select count(*) from raw.focus_line_items "
                            "where x_source_file = ?",
                            [path],
                        ).fetchone()[0]
                        if path.startswith("focus/")
                        else rows
                    )
                    assert count == rows, path
        finally:
            con.close()
    load(victim, landing)
    assert _raw_fingerprint(victim) == _raw_fingerprint(reference)


def _copy(database: Path, target: Path) -> Path:
    con = duckdb.connect(str(database))
    con.execute("checkpoint")
    con.close()
    shutil.copy(database, target)
    return target


MARTS = [
    "fct_billing_line_items",
    "int_allocation_split_rows",
    "fct_showback_monthly",
    "fct_cost_daily_by_owner",
]


def test_a_killed_build_converges_to_the_uninterrupted_result(warehouse, tmp_path):
    reference = _copy(warehouse["database"], tmp_path / "reference.duckdb")
    victim = _copy(warehouse["database"], tmp_path / "victim.duckdb")
    con = duckdb.connect(str(victim))
    for mart in MARTS:
        con.execute(f"drop table {mart}")  # as if never built: the rerun must
    con.close()  # rebuild them whether or not the kill left them behind
    _kill_after(_start(["build", "--target", "ci"], victim), 12)
    # The killed build left a file DuckDB can open.
    duckdb.connect(str(victim)).close()
    process = _start(["build", "--target", "ci"], victim)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-3000:]
    con = duckdb.connect(str(victim))
    try:
        con.execute(f"attach '{reference}' as reference (read_only)")
        for mart in MARTS:
            columns = [
                r[0]
                for r in con.execute(f"describe {mart}").fetchall()
                if r[0] not in ("x_loaded_at",)
            ]
            select = ", ".join(columns)
            diff = con.execute(
                f"select count(*) from ("
                f"(select {select} from {mart} except all "
                f"select {select} from reference.main.{mart}) union all "
                f"(select {select} from reference.main.{mart} except all "
                f"select {select} from {mart}))"
            ).fetchone()[0]
            assert diff == 0, mart
    finally:
        con.close()
