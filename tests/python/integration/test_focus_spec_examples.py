"""The FOCUS 1.2 specification's example CSVs load and normalize to their values.

Expected values are read from the CSV text with Python's csv and Decimal, not
with the loader, and compared cell by cell with the fact.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES, run_dbt
from itfm.load import load

pytestmark = pytest.mark.integration
SPEC = FIXTURES / "focus_spec_examples"
# The spec's purchase scenarios 2 and 3 contain the impossible timestamp
# 2023-02-01T30:00:00Z: those rows must be quarantined with the reason.
INVALID_ROWS = {
    "commitment_discount_purchase_scenario_2.csv": [3],
    "commitment_discount_purchase_scenario_3.csv": [4],
}


def _money(text: str) -> Decimal | None:
    text = text.strip()
    if text in ("", "null"):
        return None
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()").replace("$", "").replace(",", "").strip()
    value = Decimal(text)
    return -value if negative else value


def _date(text: str) -> dt.date:
    text = text.strip()
    if re.match(r"^\d{4}-", text):
        return dt.date.fromisoformat(text[:10])
    return dt.datetime.strptime(text, "%m/%d/%y").date()


@pytest.fixture(scope="module")
def spec_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("spec_landing")
    # Each example is its own scenario, so each is its own feed (several reuse
    # one billing account and period, which within a feed would be a restatement).
    for path in _spec_files():
        feed = root / "focus" / path.stem
        feed.mkdir(parents=True)
        for member in path.parent.glob(path.name + "*"):
            shutil.copy(member, feed / member.name)
    database = tmp_path_factory.mktemp("spec_warehouse") / "spec.duckdb"
    # Some scenarios repeat another's rows exactly (SaaS agreements a1 and a2):
    # in one warehouse they are two feeds of the same rows, accepted here.
    load(database, root, allow_same_rows_in_feeds=True)
    # The examples are partial rows (no ServiceName, ListCost ...): the
    # provider-data checks flag that, and the FOCUS rules the examples
    # illustrate (credits, purchases, commitments) must not be flagged (below).
    # The examples' billing periods are not contiguous months, so the gap test
    # is left out.
    result = run_dbt(
        database,
        [
            "build",
            "--select",
            "+fct_data_quality_monthly",
            "--exclude",
            "test_type:generic",
            "assert_billing_periods_have_no_gaps",
            "--indirect-selection",
            "cautious",
        ],
    )
    assert result.success, [(r.node.name, str(r.status)) for r in result.result.results]
    return database


def _spec_files():
    return sorted(SPEC.rglob("*.csv"))


@pytest.mark.parametrize("path", _spec_files(), ids=lambda p: p.stem)
def test_spec_example_normalizes_to_the_values_it_shows(spec_warehouse, path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if any(row.values())]
    rel = f"focus/{path.stem}/{path.name}"
    con = duckdb.connect(str(spec_warehouse))
    try:
        audit = con.execute(
            "select rows_read, rows_loaded, rows_quarantined from raw.load_audit "
            "where file_path = ?",
            [rel],
        ).fetchone()
        invalid = INVALID_ROWS.get(path.name, [])
        assert audit == (len(rows), len(rows) - len(invalid), len(invalid))
        quarantined = con.execute(
            "select row_number, error_message from raw.load_quarantine "
            "where file_path = ? order by 1",
            [rel],
        ).fetchall()
        assert [row[0] for row in quarantined] == invalid
        assert all("ChargePeriodEnd" in row[1] for row in quarantined)
        fact = con.execute(
            """
            select x_source_row, billed_cost, effective_cost, list_cost,
                contracted_cost, consumed_quantity, charge_category,
                commitment_discount_status, commitment_discount_id,
                cast(billing_period_start as date), cast(charge_period_start as date)
            from fct_billing_line_items where x_source_file = ? order by 1
            """,
            [rel],
        ).fetchall()
    finally:
        con.close()
    expected = [
        (index, row) for index, row in enumerate(rows, start=1) if index not in invalid
    ]
    assert [row[0] for row in fact] == [index for index, _ in expected]
    for actual, (_index, row) in zip(fact, expected, strict=True):
        assert actual[1] == _money(row["BilledCost"])
        assert actual[2] == _money(row["EffectiveCost"])
        if "ListCost" in row:
            assert actual[3] == _money(row["ListCost"])
        if "ContractedCost" in row:
            assert actual[4] == _money(row["ContractedCost"])
        if "ConsumedQuantity" in row:
            assert actual[5] == _money(row["ConsumedQuantity"])
        assert actual[6] == row["ChargeCategory"].strip()
        status = row.get("CommitmentDiscountStatus", "null").strip()
        assert actual[7] == (None if status in ("", "null") else status)
        commitment = row.get("CommitmentDiscountId", "").strip()
        assert actual[8] == (None if commitment in ("", "null") else commitment)
        assert actual[9] == _date(row["BillingPeriodStart"])
        assert actual[10] == _date(row["ChargePeriodStart"])


def test_spec_dates_in_us_format_are_read(spec_warehouse):
    con = duckdb.connect(str(spec_warehouse))
    try:
        periods = con.execute(
            "select distinct cast(billing_period_start as date) "
            "from fct_billing_line_items where billing_account_id = '000-00-000' "
            "order by 1 limit 2"
        ).fetchall()
    finally:
        con.close()
    assert [str(row[0]) for row in periods] == ["2025-04-01", "2025-05-01"]
    assert re.match(r"\d{4}-\d{2}-\d{2}", str(periods[0][0]))


# The FOCUS rules the examples illustrate: none of their rows or commitments may
# be flagged for these (they are the specification's own numbers).
FOCUS_RULES = (
    "credit_effective_cost_differs_from_billed",
    "commitment_purchase_effective_cost_not_zero",
    "commitment_usage_differs_from_purchase",
)


def test_spec_examples_keep_the_focus_cost_rules(spec_warehouse):
    con = duckdb.connect(str(spec_warehouse))
    try:
        flagged = con.execute(
            "select check_code, x_example_source_file from fct_data_quality_monthly "
            f"where check_code in {FOCUS_RULES}"
        ).fetchall()
        commitments = con.execute(
            "select count(distinct commitment_discount_id) from fct_billing_line_items"
        ).fetchone()[0]
    finally:
        con.close()
    assert flagged == []
    assert commitments > 0
