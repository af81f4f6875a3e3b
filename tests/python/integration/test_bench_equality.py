"""The benchmark's hand-written SQL core path gives the project's results."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from itfm.bench import PROJECT_DIR, compare, run_sql

pytestmark = pytest.mark.integration


def test_sql_script_and_project_agree_row_for_row(warehouse, tmp_path):
    con = duckdb.connect(str(warehouse["database"]))
    con.execute("checkpoint")
    con.close()
    copy = tmp_path / "core.duckdb"
    shutil.copy(warehouse["database"], copy)
    run_sql(str(copy), str(PROJECT_DIR / "bench" / "project_core.sql"))
    run_sql(str(copy), str(PROJECT_DIR / "bench" / "core_path.sql"))
    result = compare(copy)
    assert result["project_daily"]["rows"] > 100
    assert result["project_daily"]["differing_rows"] == 0
    assert result["project_unmapped"]["differing_rows"] == 0
