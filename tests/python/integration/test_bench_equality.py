"""The benchmark's reference, a hand-written DuckDB script over the landing files
themselves (no loader, no warehouse), gives the project's core results row for
row: daily cost by owner and service, and unmapped cost per month."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from itfm.bench import PROJECT_DIR, compare, run_reference, run_sql

pytestmark = pytest.mark.integration


def test_reference_over_the_landing_files_and_project_agree(focus_warehouse, tmp_path):
    landing = focus_warehouse.parent / "landing"
    con = duckdb.connect(str(focus_warehouse))
    con.execute("checkpoint")
    line_items = con.execute("select count(*) from raw.focus_line_items").fetchone()[0]
    con.close()
    copy = tmp_path / "project.duckdb"
    shutil.copy(focus_warehouse, copy)
    run_sql(str(copy), str(PROJECT_DIR / "bench" / "project_core.sql"))
    reference = tmp_path / "reference.duckdb"
    run_reference(str(landing), str(reference))
    result = compare(copy, reference)
    con = duckdb.connect(str(reference), read_only=True)
    read = con.execute("select sum(line_items) from bench.core_daily").fetchone()[0]
    con.close()
    assert read == line_items  # the reference read every line item the loader did
    assert result["project_daily"]["rows"] > 100
    assert result["project_daily"]["differing_rows"] == 0
    assert result["project_unmapped"]["differing_rows"] == 0


def test_the_comparison_sees_a_difference(focus_warehouse, tmp_path):
    """Mutation: one cent moved between owners in the project's output is caught."""
    copy = tmp_path / "project.duckdb"
    shutil.copy(focus_warehouse, copy)
    run_sql(str(copy), str(PROJECT_DIR / "bench" / "project_core.sql"))
    con = duckdb.connect(str(copy))
    con.execute(
        "update bench.project_daily set effective_cost = effective_cost + 0.01 "
        "where rowid = (select min(rowid) from bench.project_daily)"
    )
    con.close()
    reference = tmp_path / "reference.duckdb"
    run_reference(str(focus_warehouse.parent / "landing"), str(reference))
    assert compare(copy, reference)["project_daily"]["differing_rows"] == 2
