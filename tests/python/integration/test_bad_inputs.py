"""The bad-input suite: every fixture in tests/fixtures/bad_inputs ends as its
expected.json says, with a coded error or with every row read either loaded or
quarantined with a reason; none crashes the loader with a traceback."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from itfm.errors import ItfmError, ItfmErrors
from itfm.load import load

SUITE = Path(__file__).resolve().parents[2] / "fixtures" / "bad_inputs"
CASES = sorted(p.name for p in SUITE.iterdir() if (p / "expected.json").exists())


def test_the_suite_has_at_least_eighty_cases():
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case, tmp_path):
    expected = json.loads((SUITE / case / "expected.json").read_text())
    landing = tmp_path / "landing"
    shutil.copytree(SUITE / case / "landing", landing)
    # Deliveries are taken oldest first: give files increasing times by path.
    for index, path in enumerate(sorted(p for p in landing.rglob("*") if p.is_file())):
        os.utime(path, (1_700_000_000 + index * 60, 1_700_000_000 + index * 60))
    database = tmp_path / "wh.duckdb"
    if expected["outcome"] == "error":
        with pytest.raises((ItfmError, ItfmErrors)) as raised:
            load(database, landing)
        errors = getattr(raised.value, "errors", [raised.value])
        assert sorted(e.code for e in errors) == expected["codes"]
        assert all("what to do:" in str(e) for e in errors)
        return
    result = load(database, landing)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        expected["rows_read"],
        expected["rows_loaded"],
        expected["rows_quarantined"],
    )
    con = duckdb.connect(str(database))
    try:
        codes = [
            row[0]
            for row in con.execute(
                "select error_code from raw.load_quarantine order by line_number, "
                "row_number"
            ).fetchall()
        ]
        assert codes == expected["quarantine_codes"]
        reasons = con.execute(
            "select count(*) from raw.load_quarantine where error_message is null "
            "or raw_content is null or file_path is null"
        ).fetchone()[0]
        assert reasons == 0
        for sql, value in expected["checks"]:
            assert con.execute(sql).fetchone()[0] == value, sql
    finally:
        con.close()
