"""Exports in the shapes providers really deliver, beyond the generator's:
the legacy AWS CUR (CSV with `lineItem/UnblendedCost` names, gzip; Parquet with
`resource_tags_user_*` columns), data from 2018 (the calendar follows the data),
an export billed in CAD (ECB reference rates), a native export with a currency
that is not ISO 4217, a FOCUS 1.3 export, and a warehouse with telemetry but no
billing yet. Each is written here from the providers' documented layouts."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run_dbt
from itfm.load import load

pytestmark = pytest.mark.integration

PAYER = "111122223333"
LEGACY_HEADER = [
    "identity/LineItemId",
    "identity/TimeInterval",
    "bill/InvoiceId",
    "bill/BillingEntity",
    "bill/BillType",
    "bill/PayerAccountId",
    "bill/BillingPeriodStartDate",
    "bill/BillingPeriodEndDate",
    "lineItem/UsageAccountId",
    "lineItem/LineItemType",
    "lineItem/UsageStartDate",
    "lineItem/UsageEndDate",
    "lineItem/ProductCode",
    "lineItem/UsageType",
    "lineItem/ResourceId",
    "lineItem/UsageAmount",
    "lineItem/CurrencyCode",
    "lineItem/UnblendedRate",
    "lineItem/UnblendedCost",
    "lineItem/BlendedCost",
    "lineItem/LineItemDescription",
    "product/ProductName",
    "product/productFamily",
    "product/region",
    "pricing/publicOnDemandCost",
    "pricing/term",
    "pricing/unit",
    "reservation/AmortizedUpfrontFeeForBillingPeriod",
    "reservation/EffectiveCost",
    "reservation/ReservationARN",
    "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
    "reservation/UnusedRecurringFee",
    "resourceTags/aws:createdBy",
    "resourceTags/user:Name",
    "resourceTags/user:team",
]
RI = "arn:aws:ec2:us-east-1:111122223333:reserved-instances/legacy-ri"
# (type, unblended, public on-demand, extra columns, team tag, currency)
LEGACY_LINES = [
    ("Usage", "10.00", "12.00", {}, "payments", "USD"),
    ("Usage", "3.25", "3.25", {}, "", "USD"),
    (
        "DiscountedUsage",
        "0",
        "12.00",
        {"reservation/ReservationARN": RI, "reservation/EffectiveCost": "8.00000001"},
        "search",
        "USD",
    ),
    (
        "RIFee",
        "6.00",
        "0",
        {
            "reservation/ReservationARN": RI,
            "reservation/AmortizedUpfrontFeeForBillingPeriod": "4",
            "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod": "0.8",
            "reservation/UnusedRecurringFee": "1.2",
        },
        "",
        "USD",
    ),
    ("Tax", "1.50", "0", {}, "", "USD"),
    ("Usage", "2.00", "2.00", {}, "payments", "MC"),  # not ISO 4217
]


def _legacy_csv_gz(path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LEGACY_HEADER)
    for index, (kind, cost, public, extra, team, currency) in enumerate(LEGACY_LINES):
        values = {
            "identity/LineItemId": f"li-{index}",
            "identity/TimeInterval": "2018-11-05T00:00:00Z/2018-11-06T00:00:00Z",
            "bill/InvoiceId": "123456789",
            "bill/BillingEntity": "AWS",
            "bill/BillType": "Anniversary",
            "bill/PayerAccountId": PAYER,
            "bill/BillingPeriodStartDate": "2018-11-01T00:00:00Z",
            "bill/BillingPeriodEndDate": "2018-12-01T00:00:00Z",
            "lineItem/UsageAccountId": "444455556666",
            "lineItem/LineItemType": kind,
            "lineItem/UsageStartDate": "2018-11-05T00:00:00Z",
            "lineItem/UsageEndDate": "2018-11-06T00:00:00Z",
            "lineItem/ProductCode": "AmazonEC2",
            "lineItem/UsageType": "BoxUsage:m5.large",
            "lineItem/ResourceId": f"i-legacy{index}",
            "lineItem/UsageAmount": "24",
            "lineItem/CurrencyCode": currency,
            "lineItem/UnblendedCost": cost,
            "lineItem/BlendedCost": cost,
            "pricing/publicOnDemandCost": public,
            "pricing/term": "OnDemand",
            "pricing/unit": "Hrs",
            "resourceTags/aws:createdBy": "AssumedRole:ci",
            "resourceTags/user:Name": f"web-{index}",
            "resourceTags/user:team": team,
            **extra,
        }
        writer.writerow([values.get(column, "") for column in LEGACY_HEADER])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(buffer.getvalue().encode()))


def _legacy_parquet(path: Path) -> None:
    """The legacy CUR as Parquet (Athena integration): snake_case names and one
    resource_tags_user_* column per tag key."""
    day = dt.datetime(2018, 12, 3)
    table = pa.table(
        {
            "identity_line_item_id": ["p-1", "p-2"],
            "bill_payer_account_id": [PAYER, PAYER],
            "bill_billing_period_start_date": [dt.datetime(2018, 12, 1)] * 2,
            "bill_billing_period_end_date": [dt.datetime(2019, 1, 1)] * 2,
            "line_item_usage_account_id": ["444455556666"] * 2,
            "line_item_line_item_type": ["Usage", "Usage"],
            "line_item_usage_start_date": [day, day],
            "line_item_usage_end_date": [day + dt.timedelta(days=1)] * 2,
            "line_item_product_code": ["AmazonS3", "AmazonS3"],
            "line_item_currency_code": ["USD", "USD"],
            "line_item_unblended_cost": pa.array([20.0, 0.5], pa.float64()),
            "pricing_public_on_demand_cost": pa.array([20.0, 0.5], pa.float64()),
            "resource_tags_user_team": ["checkout", None],
            "resource_tags_user_cost_center": ["CC-1002", ""],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


FOCUS_CAD = (
    "BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,"
    "ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,EffectiveCost,"
    "ListCost,ContractedCost,ProviderName,PublisherName,InvoiceIssuerName,"
    "ServiceName,ServiceCategory,InvoiceId\n"
    "CA-1,CAD,2018-10-01T00:00:00Z,2018-11-01T00:00:00Z,2018-10-05T00:00:00Z,"
    "2018-10-06T00:00:00Z,Usage,100.00,100.00,100.00,100.00,Maple Cloud,"
    "Maple Cloud,Maple Cloud,Compute,Compute,INV-1\n"
)
FOCUS_13_COLUMNS = {
    "BillingAccountId": "F13",
    "BillingCurrency": "USD",
    "BillingPeriodStart": "2018-10-01T00:00:00Z",
    "BillingPeriodEnd": "2018-11-01T00:00:00Z",
    "ChargePeriodStart": "2018-10-07T00:00:00Z",
    "ChargePeriodEnd": "2018-10-08T00:00:00Z",
    "ChargeCategory": "Usage",
    "BilledCost": "7.00",
    "EffectiveCost": "7.00",
    "ListCost": "7.00",
    "ContractedCost": "7.00",
    "ProviderName": "Datadog Inc (deprecated)",
    "PublisherName": "Datadog Inc (deprecated)",
    "ServiceProviderName": "Datadog",
    "HostProviderName": "AWS",
    "InvoiceIssuerName": "AWS",
    "ServiceName": "Logs",
    "ServiceCategory": "Management and Governance",
    "AllocatedMethodId": "m-1",
    "AllocatedMethodDetails": "",
    "AllocatedResourceId": "svc-a",
    "ContractApplied": '{"ContractId": "c-1"}',
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("shapes")
    landing = root / "landing"
    _legacy_csv_gz(
        landing / "aws_cur" / "legacy" / "20181101-20181201" / "cur-1.csv.gz"
    )
    _legacy_parquet(
        landing / "aws_cur" / "legacy_athena" / "year=2018" / "month=12" / "cur.parquet"
    )
    (landing / "focus" / "maple").mkdir(parents=True)
    (landing / "focus" / "maple" / "export.csv").write_text(FOCUS_CAD)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FOCUS_13_COLUMNS))
    writer.writeheader()
    writer.writerow(FOCUS_13_COLUMNS)
    (landing / "focus" / "v13").mkdir(parents=True)
    (landing / "focus" / "v13" / "export.csv").write_text(buffer.getvalue())
    database = root / "itfm.duckdb"
    result = load(database, landing)
    build = run_dbt(database, ["build"])
    return {"database": database, "load": result, "build": build}


@pytest.fixture
def scon(shapes):
    connection = duckdb.connect(str(shapes["database"]))
    yield connection
    connection.close()


def _not_passed(build) -> list[tuple[str, str]]:
    return [
        (r.node.name, str(r.status))
        for r in build.result.results
        if str(r.status) in ("fail", "error", "skipped")
    ]


def test_every_shape_builds_with_no_failing_test(shapes):
    bad = _not_passed(shapes["build"])
    assert shapes["build"].success and not bad, bad


def test_legacy_cur_csv_is_read_by_its_slash_names(scon):
    rows = scon.execute(
        """
        select x_source_line, charge_category, billed_cost, effective_cost,
            list_cost, commitment_discount_status, x_tags
        from fct_billing_line_items where x_feed = 'legacy'
        order by x_source_line, commitment_discount_status nulls first
        """
    ).fetchall()
    by_line = {}
    for line, category, billed, effective, listed, status, tags in rows:
        by_line.setdefault(line, []).append(
            (category, billed, effective, listed, status, tags)
        )
    assert sorted(by_line) == [2, 3, 4, 5, 6]
    usage = by_line[2][0]
    assert usage[:4] == ("Usage", Decimal("10"), Decimal("10"), Decimal("12"))
    # Tag columns become the tags (keys normalized, the user: prefix removed);
    # empty values are dropped.
    assert usage[5] == {
        "aws_created_by": "AssumedRole:ci",
        "name": "web-0",
        "team": "payments",
    }
    assert by_line[3][0][5] == {"aws_created_by": "AssumedRole:ci", "name": "web-1"}
    # The reservation's fee line and its unused part.
    assert [r[0] for r in by_line[5]] == ["Purchase", "Usage"]
    assert by_line[5][1][2] == Decimal("2") and by_line[5][1][4] == "Unused"
    assert by_line[6][0][0] == "Tax"


def test_a_non_iso_currency_in_a_native_export_is_quarantined(scon):
    rows = scon.execute(
        """select line_number, error_code, error_message from raw.load_quarantine
        where file_path like 'aws_cur/legacy/%'"""
    ).fetchall()
    assert rows == [
        (7, "ITFM-Q004", "ITFM-Q004 line_item_currency_code: unknown currency MC")
    ]
    audit = scon.execute(
        """select rows_read, rows_loaded, rows_quarantined from raw.load_audit
        where file_path like 'aws_cur/legacy/%'"""
    ).fetchall()
    assert audit == [(6, 5, 1)]


def test_legacy_cur_parquet_tag_columns_become_tags_and_owners(scon):
    rows = scon.execute(
        """
        select fact.billed_cost, fact.x_tags, attributed.x_team
        from fct_billing_line_items as fact
        inner join int_line_items_attributed as attributed using (x_line_item_id)
        where fact.x_feed = 'legacy_athena' order by fact.billed_cost desc
        """
    ).fetchall()
    tags = {"team": "checkout", "cost_center": "CC-1002"}
    assert rows[0] == (Decimal("20"), tags, "checkout")
    assert rows[1][1] is None  # every tag column empty: no tags


def test_a_reservation_bought_before_the_data_is_not_flagged(scon):
    flagged = scon.execute(
        "select check_code, billing_account_id from fct_data_quality_monthly"
    ).fetchall()
    assert ("commitment_usage_differs_from_purchase", PAYER) not in flagged


def test_the_calendar_follows_data_from_2018(scon):
    first, last = scon.execute(
        "select min(calendar_date), max(calendar_date) from int_calendar_days"
    ).fetchone()
    assert first <= dt.date(2018, 10, 1) and last >= dt.date(2019, 1, 1)
    days = scon.execute(
        """select min(charge_date), count(*) from int_cost_daily_by_owner_service"""
    ).fetchone()
    assert days[0] == dt.date(2018, 10, 5) and days[1] > 0
    # Every usage dollar reaches the daily series.
    daily, usage = scon.execute(
        """
        select
            (select sum(x_effective_cost_reporting)
             from int_cost_daily_by_owner_service),
            (select sum(x_effective_cost_reporting) from int_line_items_attributed
             where charge_category = 'Usage')
        """
    ).fetchone()
    assert daily == usage


def test_a_cad_export_is_converted_at_the_ecb_reference_rate(scon):
    from currency_converter import CurrencyConverter

    rate, reporting = scon.execute(
        """select x_exchange_rate, x_billed_cost_reporting from fct_billing_line_items
        where billing_currency = 'CAD'"""
    ).fetchone()
    expected = CurrencyConverter(fallback_on_missing_rate=False).convert(
        1, "CAD", "USD", dt.date(2018, 10, 5)
    )
    assert abs(float(rate) - expected) < 1e-7
    assert reporting == (Decimal("100") * rate).quantize(Decimal("1e-10"))


def test_focus_1_3_columns_are_mapped(scon):
    row = scon.execute(
        """select x_focus_version, provider_name, publisher_name, x_extra_columns
        from fct_billing_line_items where billing_account_id = 'F13'"""
    ).fetchone()
    assert row[:3] == ("1.3", "Datadog", "AWS")
    extras = json.loads(row[3])
    assert extras == {
        "ProviderName": "Datadog Inc (deprecated)",
        "PublisherName": "Datadog Inc (deprecated)",
        "AllocatedMethodId": "m-1",
        "AllocatedResourceId": "svc-a",
        "ContractApplied": '{"ContractId": "c-1"}',
    }


@pytest.fixture(scope="module")
def telemetry_only(tmp_path_factory) -> dict:
    """Telemetry delivered before any billing (or every billing row
    quarantined): nothing to forecast or allocate, and the build passes."""
    root = tmp_path_factory.mktemp("telemetry_only")
    landing = root / "landing" / "business_metrics"
    landing.mkdir(parents=True)
    (landing / "m.csv").write_text(
        "metric_date,product,feature,transactions,active_users,feature_usage_count\n"
        "2026-06-01,storefront,search,100,10,5\n"
    )
    database = root / "itfm.duckdb"
    load(database, root / "landing")
    return {"database": database, "build": run_dbt(database, ["build"])}


def test_telemetry_without_billing_builds_every_model(telemetry_only):
    build = telemetry_only["build"]
    bad = _not_passed(build)
    assert build.success and not bad, bad
    con = duckdb.connect(str(telemetry_only["database"]))
    try:
        counts = con.execute(
            """select (select count(*) from fct_cost_forecasts_daily),
                (select count(*) from fct_forecast_accuracy_monthly)"""
        ).fetchone()
    finally:
        con.close()
    assert counts == (0, 0)
