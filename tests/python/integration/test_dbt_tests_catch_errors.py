"""The FinOps invariants are real tests: on a copy of the warehouse with one
deliberate error each, every one of them fails and names the offending rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

pytestmark = pytest.mark.integration

MUTATIONS = {
    "assert_billing_fact_conserves_raw_totals": (
        "delete from fct_billing_line_items where x_line_item_id = "
        "(select min(x_line_item_id) from fct_billing_line_items "
        "where billed_cost > 0 and x_source = 'focus')"
    ),
    "assert_final_invoices_tie_to_billed_cost": (
        "update raw.invoices set invoice_total = invoice_total + 0.01 "
        "where invoice_id = (select min(invoice_id) from raw.invoices "
        "where status = 'final')"
    ),
    "assert_allocation_conserves_cost": (
        "update int_allocation_split_rows set effective_cost = effective_cost + 0.01 "
        "where x_allocation_id = (select min(x_allocation_id) "
        "from int_allocation_split_rows where x_allocation_method = 'shared')"
    ),
    "assert_allocation_conserves_each_cost_object": (
        "delete from int_allocation_split_rows where x_allocation_id = "
        "(select max(x_allocation_id) from int_allocation_split_rows "
        "where x_allocation_method = 'kubernetes')"
    ),
    "assert_billing_periods_have_no_gaps": (
        "delete from fct_billing_line_items where billing_account_id = "
        "'210987654321' and billing_period_start = '2026-06-01'"
    ),
    "assert_statement_shares_add_up_to_one": (
        "update fct_chargeback_statements_monthly "
        "set share_of_month = share_of_month + 0.01 "
        "where statement_id = (select min(statement_id) "
        "from fct_chargeback_statements_monthly)"
    ),
    "assert_statements_conserve_allocated_cost": (
        "update fct_chargeback_statement_lines "
        "set x_effective_cost_reporting = x_effective_cost_reporting + 0.01 "
        "where statement_line_id = (select max(statement_line_id) "
        "from fct_chargeback_statement_lines)"
    ),
    "assert_rounded_statements_tie_out": (
        "update rpt_chargeback_statement_lines "
        "set charged_amount = charged_amount + 0.01 "
        "where statement_line_id = (select min(statement_line_id) "
        "from rpt_chargeback_statement_lines)"
    ),
    "assert_pod_costs_conserve_cluster_cost": (
        "update fct_k8s_pod_cost_daily "
        "set x_effective_cost_reporting = x_effective_cost_reporting + 0.01 "
        "where k8s_pod_cost_daily_id = (select min(k8s_pod_cost_daily_id) "
        "from fct_k8s_pod_cost_daily)"
    ),
    "assert_feature_costs_conserve_product_cost": (
        "update fct_feature_costs_monthly "
        "set x_feature_cost_reporting = x_feature_cost_reporting + 0.01 "
        "where feature_cost_monthly_id = (select min(feature_cost_monthly_id) "
        "from fct_feature_costs_monthly)"
    ),
    "assert_one_currency_per_statement": (
        "update fct_chargeback_statement_lines set x_reporting_currency = 'EUR' "
        "where statement_line_id = (select min(statement_line_id) "
        "from fct_chargeback_statement_lines)"
    ),
    "assert_scorecard_has_every_kpi_every_month": (
        "delete from fct_itfm_kpi_scorecard_monthly where kpi_id = 'M7' "
        "and kpi_month = (select min(kpi_month) from fct_itfm_kpi_scorecard_monthly)"
    ),
    "assert_daily_cost_by_owner_conserves_allocated_cost": (
        "delete from fct_cost_daily_by_owner where cost_daily_id = "
        "(select min(cost_daily_id) from fct_cost_daily_by_owner "
        "where effective_cost > 0)"
    ),
    "assert_showback_conserves_allocated_cost": (
        "update fct_showback_monthly set billed_cost = billed_cost - 0.01 "
        "where showback_id = (select min(showback_id) from fct_showback_monthly)"
    ),
    "assert_every_billing_currency_has_an_exchange_rate": (
        "update fct_billing_line_items set x_exchange_rate = null "
        "where billing_currency = 'EUR'"
    ),
}


def copy_warehouse(warehouse, tmp_path) -> Path:
    """A file copy of the session warehouse (checkpointed first: dbt keeps its
    connection open in this process, so recent writes may sit in the WAL)."""
    con = duckdb.connect(str(warehouse["database"]))
    con.execute("checkpoint")
    con.close()
    copy = tmp_path / "mutated.duckdb"
    shutil.copy(warehouse["database"], copy)
    return copy


def assert_each_fails(warehouse, tmp_path, mutations, rows_required=False):
    """On a copy of the warehouse with every statement of `mutations` applied
    (each changing at least one row when `rows_required`), each named test
    fails with at least one failing row."""
    copy = copy_warehouse(warehouse, tmp_path)
    con = duckdb.connect(str(copy))
    try:
        for statement in mutations.values():
            changed = con.execute(statement)
            if rows_required:
                assert changed.fetchall()[0][0] >= 1, statement
    finally:
        con.close()
    result = run_dbt(copy, ["test", "--select", *mutations])
    statuses = {r.node.name: (str(r.status), r.failures) for r in result.result.results}
    assert not result.success
    for name in mutations:
        status, failures = statuses[name]
        assert status == "fail" and failures >= 1, (name, status, failures)


def test_each_invariant_fails_on_a_deliberate_error(warehouse, tmp_path):
    assert_each_fails(warehouse, tmp_path, MUTATIONS)


def test_a_missing_mandatory_focus_column_fails(warehouse, tmp_path):
    copy = copy_warehouse(warehouse, tmp_path)
    con = duckdb.connect(str(copy))
    try:
        con.execute("alter table fct_billing_line_items drop column list_cost")
    finally:
        con.close()
    result = run_dbt(
        copy, ["test", "--select", "assert_focus_mandatory_columns_present"]
    )
    # (The project's on-run-start / on-run-end hooks are results too.)
    (only,) = [r for r in result.result.results if r.node.resource_type == "test"]
    assert str(only.status) == "fail" and only.failures == 1


# The fact's totals that the monthly marts read: mutated alone, since every
# mutation of the fact above would fail these tests too.
TOTALS_MUTATIONS = {
    "assert_line_item_totals_conserve_the_fact": (
        "update int_line_item_totals_monthly set billed_cost = billed_cost + 0.01 "
        "where x_example_line_item_id = (select min(x_example_line_item_id) "
        "from int_line_item_totals_monthly)"
    ),
    "assert_line_item_daily_totals_conserve_the_fact": (
        "delete from int_line_item_totals_daily where rowid = "
        "(select min(rowid) from int_line_item_totals_daily)"
    ),
}


def test_the_fact_totals_fail_when_they_drift_from_the_fact(warehouse, tmp_path):
    assert_each_fails(warehouse, tmp_path, TOTALS_MUTATIONS, rows_required=True)
