"""Finance marts: reconciliation, statements, scorecard, validation, exports."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, run_dbt
from itfm.cli import main
from itfm.errors import ItfmError
from itfm.exports import export
from itfm.validate import validate

pytestmark = pytest.mark.integration


def test_final_invoices_tie_and_estimated_ones_are_reported(con):
    rows = con.execute(
        """
        select reconciliation_status, count(*), count(*) filter (where is_tied)
        from main.fct_invoice_reconciliation_monthly group by 1
        """
    ).fetchall()
    by_status = {status: (n, tied) for status, n, tied in rows}
    final, tied = by_status["final"]
    assert final > 0 and tied == final
    assert by_status["estimated"][0] > 0


def test_scorecard_has_all_fifteen_kpis_every_complete_month(con):
    rows = con.execute(
        """
        select kpi_month, count(*), count(distinct kpi_id),
            count(*) filter (
                where kpi_status is null
                   or (kpi_value is null and not_available_reason is null)
                   or (target_low is null and target_high is null)
            )
        from main.fct_itfm_kpi_scorecard_monthly
        where is_complete_month
        group by 1
        """
    ).fetchall()
    assert rows
    for month, n, distinct, incomplete in rows:
        assert (n, distinct, incomplete) == (15, 15, 0), month


# Each KPI recomputed from lower layers, independently of rpt_kpi_values_monthly.
KPI_CHECKS = {
    "M4": """
        select billing_month,
            sum(case when x_team = 'unmapped' then x_effective_cost_reporting end),
            sum(x_effective_cost_reporting)
        from main.int_line_items_attributed group by 1
    """,
    "M6": """
        select date_trunc('month', charge_date)::date,
            sum(case when service_subcategory = 'Observability'
                then x_effective_cost_reporting else 0 end),
            sum(x_effective_cost_reporting)
        from main.int_line_items_attributed where charge_category = 'Usage' group by 1
    """,
    "M7": """
        select date_trunc('month', charge_period_start)::date,
            sum(x_effective_cost_reporting) filter (
                where commitment_discount_status = 'Used'),
            sum(x_effective_cost_reporting) filter (
                where commitment_discount_status = 'Used'
                   or (commitment_discount_status is null
                       and service_category in ('Compute', 'Databases')))
        from main.fct_billing_line_items where charge_category = 'Usage' group by 1
    """,
    "M8": """
        select date_trunc('month', l.charge_date)::date,
            sum(case when r.rule_id is not null then l.x_effective_cost_reporting
                else 0 end),
            sum(l.x_effective_cost_reporting)
        from main.int_line_items_attributed l
        left join main.reliability_resources r
            on l.provider_name = r.provider_name and l.region_id = r.region_id
            and l.x_environment = r.environment
            and (r.service_category is null or l.service_category = r.service_category)
        where l.charge_category = 'Usage'
        group by 1
    """,
    "M9": """
        select date_trunc('month', charge_date)::date,
            sum(case when service_category = 'Networking'
                then x_effective_cost_reporting else 0 end),
            sum(x_effective_cost_reporting)
        from main.int_line_items_attributed where charge_category = 'Usage' group by 1
    """,
    "M10": """
        select date_trunc('month', started_at)::date,
            sum(billable_minutes * case runner_type when 'linux-small' then 0.008
                when 'linux-large' then 0.032 when 'macos' then 0.08 end),
            count(*)
        from main.stg_telemetry__ci_builds group by 1
    """,
    "M11": """
        select date_trunc('month', charge_date)::date,
            sum(x_effective_cost_reporting), sum(pod_hours)
        from main.fct_k8s_cost_daily where x_team != 'idle' group by 1
    """,
    "M12": """
        select month, coalesce(waste, 0), usage from (
            select date_trunc('month', charge_date)::date as month,
                sum(x_effective_cost_reporting) as usage
            from main.int_line_items_attributed where charge_category = 'Usage'
            group by 1
        ) u left join (
            select charge_month as month, sum(x_waste_cost_reporting) as waste
            from main.fct_waste_daily group by 1
        ) w using (month)
    """,
    "M1": """
        select charge_month, sum(x_unit_cost_basis_reporting), sum(transactions)
        from main.fct_unit_costs_daily where has_business_metrics group by 1
    """,
    "M2": """
        select charge_month, sum(cost), sum(users) from (
            select x_product, charge_month,
                sum(x_unit_cost_basis_reporting) as cost, avg(active_users) as users
            from main.fct_unit_costs_daily where has_business_metrics group by 1, 2
        ) group by 1
    """,
    "M3": """
        select charge_month, sum(x_matched_cost_reporting), sum(feature_uses)
        from main.fct_unit_costs_monthly where metric_days > 0 and feature_uses > 0
        group by 1
    """,
    "M5": """
        select date_trunc('month', first_seen_date)::date, count(*), null
        from main.fct_cost_anomalies where alert_route in ('page', 'ticket')
        group by 1
    """,
    "M13": """
        select backtest_month, abs(forecast_cost - actual_cost), actual_cost
        from main.int_cost_forecast_backtests where forecast_level = 'total'
    """,
    "M14": """
        select s.billing_month,
            sum(abs(s.x_effective_cost_reporting - g.posted)), sum(g.posted)
        from main.fct_chargeback_statements_monthly s
        join (
            select cost_center, posting_month, sum(posted_amount) as posted
            from main.gl_chargeback_postings group by 1, 2
        ) g on g.cost_center = s.x_cost_center and g.posting_month = s.billing_month
        group by 1
    """,
    "M15": """
        select violation_month, count(*), null from main.fct_policy_violations
        group by 1
    """,
}


@pytest.mark.parametrize("kpi", sorted(KPI_CHECKS))
def test_kpi_formula(con, kpi):
    expected = {
        row[0]: (row[1], row[2]) for row in con.execute(KPI_CHECKS[kpi]).fetchall()
    }
    actual = {
        row[0]: (row[1], row[2])
        for row in con.execute(
            "select kpi_month, numerator, denominator from main.rpt_kpi_values_monthly"
            " where kpi_id = ?",
            [kpi],
        ).fetchall()
    }
    assert expected
    for month, (numerator, denominator) in expected.items():
        got = actual[month]
        assert float(got[0] or 0) == pytest.approx(float(numerator or 0), abs=1e-6)
        if denominator is not None:
            assert float(got[1]) == pytest.approx(float(denominator), abs=1e-6)


def test_validate_passes_and_data_docs_need_no_network(warehouse, tmp_path):
    docs = tmp_path / "docs"
    outcome = validate(Path(warehouse["database"]), docs, PROJECT_DIR)
    assert outcome.success, outcome.report()
    assert outcome.evaluated >= 12
    pages = list(docs.rglob("*.html"))
    assert (docs / "index.html").exists() and len(pages) > 5
    remote = re.compile(r'<(script|link|img)[^>]+(src|href)="https?://', re.I)
    for page in pages:
        assert not remote.search(page.read_text(encoding="utf-8")), page
    assert (docs / "static" / "vendor" / "css" / "bootstrap.min.css").exists()
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "invoice_reconciliation" in text


@pytest.fixture
def altered_invoice(warehouse, con, tmp_path):
    """A copy of the warehouse where one final invoice is off by one cent."""
    con.execute("checkpoint")  # the copy must not depend on the WAL
    database = tmp_path / "altered" / "itfm.duckdb"
    database.parent.mkdir()
    shutil.copy(warehouse["database"], database)
    connection = duckdb.connect(str(database))
    invoice_id = connection.execute(
        "select invoice_id from raw.invoices where status = 'final'"
        " order by invoice_id limit 1"
    ).fetchone()[0]
    connection.execute(
        "update raw.invoices set invoice_total = invoice_total + 0.01"
        " where invoice_id = ?",
        [invoice_id],
    )
    connection.close()
    return database, invoice_id


def test_an_altered_invoice_fails_dbt_build_and_validate(
    altered_invoice, tmp_path, monkeypatch, capsys
):
    database, invoice_id = altered_invoice
    result = run_dbt(database, ["build", "--select", "stg_finance__invoices+"])
    assert not result.success
    connection = duckdb.connect(str(database))
    failing = connection.execute(
        "select invoice_id from main_dbt_test__audit"
        ".assert_final_invoices_tie_to_billed_cost"
    ).fetchall()
    connection.close()
    assert failing == [(invoice_id,)]

    # Nothing downstream reads the tables of the failed build: validate,
    # export and summary refuse with a coded error naming the failed test.
    monkeypatch.setenv("ITFM_DB", str(database))
    for command in (
        ["validate", "--docs", str(tmp_path / "docs")],
        ["export", "--out", str(tmp_path / "refused")],
        ["summary"],
    ):
        assert main(command) == 2, command
        printed = capsys.readouterr()
        assert "ITFM-B003" in printed.err, command
        assert "assert_final_invoices_tie_to_billed_cost" in printed.err
        assert "Traceback" not in printed.err
    assert not (tmp_path / "refused").exists()

    # dbt build skipped the marts below the failing test: build them anyway
    # (as `dbt run` would) to show that validation catches it on its own.
    assert run_dbt(database, ["run", "--select", "stg_finance__invoices+"]).success
    monkeypatch.setenv("ITFM_DB", str(database))
    code = main(["validate", "--docs", str(tmp_path / "docs")])
    printed = capsys.readouterr()
    assert code == 2
    assert "ITFM-V001" in printed.err and invoice_id in printed.err
    assert invoice_id in printed.out


def test_exports_write_csv_parquet_and_one_statement_per_cost_center(
    warehouse, tmp_path, monkeypatch
):
    monkeypatch.setenv("ITFM_DB", str(warehouse["database"]))
    written = export("ci", tmp_path / "exports")
    assert any(p.suffix == ".parquet" for p in written)
    connection = duckdb.connect(str(warehouse["database"]))
    total, statements = connection.execute(
        """
        select sum(x_effective_cost_reporting),
            count(distinct x_cost_center || strftime(billing_month, '%Y-%m'))
        from main.fct_chargeback_statement_lines
        """
    ).fetchone()
    connection.close()
    parquet = tmp_path / "exports" / "parquet"
    parquet = parquet / "fct_chargeback_statement_lines.parquet"
    exported = duckdb.execute(
        f"select sum(x_effective_cost_reporting) from '{parquet}'"
    ).fetchone()[0]
    assert exported == total
    files = list((tmp_path / "exports" / "statements").rglob("*.csv"))
    assert len(files) == statements
    assert len(list((tmp_path / "exports" / "statements").rglob("*.xlsx"))) == len(
        files
    )


def test_statement_files_read_as_finance_reads_them(warehouse, tmp_path, monkeypatch):
    """Each statement names its cost center, team and rules, says which basis
    it charges, has amounts in cents (no hash ids, no x_ names, no ten
    decimals), and ends with a total row: the sum of its lines, equal to the
    statement's exact total rounded once; the XLSX holds the same rows."""
    import csv
    from decimal import Decimal

    from openpyxl import load_workbook

    monkeypatch.setenv("ITFM_DB", str(warehouse["database"]))
    out = tmp_path / "exports"
    export("ci", out)
    connection = duckdb.connect(str(warehouse["database"]))
    exact = dict(
        connection.execute(
            """
            select x_cost_center || '/' || strftime(billing_month, '%Y-%m'),
                round(sum(x_effective_cost_reporting), 2)
            from main.fct_chargeback_statement_lines group by 1
            """
        ).fetchall()
    )
    connection.close()
    checked = 0
    for path in sorted((out / "statements").rglob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        *lines, total = rows
        assert not any(
            name.startswith("x_") or name.endswith("_id") and name != "rule_id"
            for name in rows[0]
        )
        assert total["rule_name"] == "Statement total"
        assert {r["charged_cost_basis"] for r in rows} == {"effective_cost"}
        amounts = [Decimal(r["charged_amount"]) for r in lines]
        assert all(a.as_tuple().exponent == -2 for a in amounts), path
        assert all(r["rule_name"] and r["cost_center_name"] for r in lines)
        key = f"{path.stem}/{path.parent.name}"
        assert sum(amounts) == Decimal(total["charged_amount"]) == exact[key], key
        sheet = load_workbook(path.with_suffix(".xlsx")).active
        cells = list(sheet.iter_rows(values_only=True))
        assert list(cells[0]) == list(rows[0])
        assert [round(Decimal(str(c[11])), 2) for c in cells[1:]] == [
            Decimal(r["charged_amount"]) for r in rows
        ]
        checked += 1
    assert checked > 0


def test_the_data_dictionary_describes_every_exported_column(
    warehouse, tmp_path, monkeypatch
):
    """data_dictionary.csv: every column of every exported file, with the type
    the warehouse holds and a description (none left blank); the daily cost,
    forecasts, anomalies, waste, unmapped and IT spend are among the exports."""
    import csv

    monkeypatch.setenv("ITFM_DB", str(warehouse["database"]))
    out = tmp_path / "exports"
    export("ci", out)
    with (out / "data_dictionary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    listed = {(r["table"], r["column"]) for r in rows}
    for parquet in (out / "parquet").glob("*.parquet"):
        columns = duckdb.execute(f"describe select * from '{parquet}'").fetchall()
        for column in columns:
            assert (parquet.stem, column[0]) in listed, (parquet.stem, column[0])
    statement = next((out / "statements").rglob("*.csv"))
    header = statement.read_text(encoding="utf-8").splitlines()[0].split(",")
    listed_statement = {
        c for t, c in listed if t == "statements/<YYYY-MM>/<cost center>.csv"
    }
    assert listed_statement == set(header)
    assert [(r["table"], r["column"]) for r in rows if not r["description"]] == []
    assert all(r["data_type"] for r in rows)
    exported = {r["table"] for r in rows}
    assert {
        "fct_cost_daily_by_owner",
        "fct_cost_forecasts_daily",
        "fct_cost_anomalies",
        "fct_waste_daily",
        "fct_unmapped_cost_monthly",
        "fct_it_spend_monthly",
    } <= exported


def test_export_of_an_unbuilt_warehouse_is_a_coded_error(tmp_path, monkeypatch):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    monkeypatch.setenv("ITFM_DB", str(empty))
    with pytest.raises(ItfmError) as raised:
        export("dev", tmp_path / "exports")
    assert raised.value.code == "ITFM-B002"


def test_reading_a_missing_warehouse_does_not_create_it(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "nothing" / "itfm.duckdb"
    monkeypatch.setenv("ITFM_DB", str(missing))
    for command in (["summary"], ["validate"], ["export"], ["focus-validate"]):
        assert main(command) == 2, command
        assert "ITFM-B002" in capsys.readouterr().err, command
    assert not missing.exists()
