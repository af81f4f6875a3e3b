"""The data generator: deterministic, complete, and honest about its ground truth."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
from itfm.generate import generate


def _digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path):
    generate(tmp_path / "a", "ci", 35, 11)
    generate(tmp_path / "b", "ci", 35, 11)
    generate(tmp_path / "c", "ci", 35, 12)
    a, b, c = (_digests(tmp_path / x) for x in "abc")
    assert a == b
    assert a.keys() == c.keys() and a != c


def test_landing_has_every_source_and_truth(tmp_path):
    truth = generate(tmp_path, "ci", 62, 3)
    for folder in (
        "focus",
        "aws_cur",
        "azure_cost",
        "gcp_billing",
        "k8s_usage",
        "business_metrics",
        "ci_builds",
        "observability_usage",
        "invoices",
        "cloud_assets",
        "deployments",
    ):
        assert any((tmp_path / folder).rglob("*.*")), folder
    kinds = {event["kind"] for event in truth["events"]}
    assert {
        "runaway_autoscaling_spike",
        "egress_surge",
        "orphaned_volumes",
        "tagging_regression",
        "trend_growth",
        "weekly_seasonality",
    } <= kinds
    assert json.loads((tmp_path / "_truth.json").read_text()) == truth
    for event in truth["events"]:
        if event["expected_impact"] is not None:
            assert event["expected_impact"] > 0, event


def test_focus_files_have_the_messy_realities(tmp_path):
    generate(tmp_path, "ci", 62, 5, billing_format="focus")
    con = duckdb.connect()
    pattern = str(tmp_path / "focus" / "*" / "*" / "*.parquet")
    rows = con.execute(
        f"""
        select list(distinct "ChargeCategory"), list(distinct "BillingCurrency"),
            count(*) filter ("Tags" is null or "Tags" = '{{}}'),
            count(*) filter ("ChargeClass" = 'Correction'),
            count(distinct "ProviderName"),
            list(distinct typeof("BilledCost"))
        from read_parquet('{pattern}', hive_partitioning = false)
        """
    ).fetchone()
    assert set(rows[0]) == {"Usage", "Purchase", "Credit", "Adjustment", "Tax"}
    assert set(rows[1]) == {"USD", "EUR"}
    assert rows[2] > 0 and rows[3] > 0 and rows[4] == 4
    assert rows[5] == ["DECIMAL(18,6)"]
    tag_keys = con.execute(
        f"""select distinct unnest(json_keys("Tags"))
        from read_parquet('{pattern}', hive_partitioning = false)
        where "Tags" is not null"""
    ).fetchall()
    keys = {row[0] for row in tag_keys}
    assert {"Team", "team ", "owner", "CostCenter", "cost-center"} <= keys


def test_native_exports_have_each_providers_shape(tmp_path):
    # 35 days reach June, whose quarter-end refund is the GCP adjustment.
    generate(tmp_path / "ea", "ci", 35, 7)
    generate(tmp_path / "mca", "ci", 35, 7, azure_schema="mca")
    con = duckdb.connect()
    cur = str(tmp_path / "ea" / "aws_cur" / "*" / "data" / "*" / "*.parquet")
    types, terms, tag_type = con.execute(
        f"""select list(distinct line_item_line_item_type
                order by line_item_line_item_type),
            list(distinct pricing_term order by pricing_term),
            any_value(typeof(resource_tags))
        from read_parquet('{cur}', hive_partitioning = false)"""
    ).fetchone()
    assert types == [
        "BundledDiscount",
        "Credit",
        "DiscountedUsage",
        "EdpDiscount",
        "Fee",
        "RIFee",
        "Refund",
        "SavingsPlanCoveredUsage",
        "SavingsPlanNegation",
        "SavingsPlanRecurringFee",
        "SavingsPlanUpfrontFee",
        "Tax",
        "Usage",
    ]
    assert terms == ["OnDemand", "Reserved", "Savings Plan", "Spot"]
    assert tag_type.startswith("MAP")
    assert all(
        "BILLING_PERIOD=" in str(p)
        for p in (tmp_path / "ea" / "aws_cur").rglob("*.parquet")
    )
    ea = tmp_path / "ea" / "azure_cost"
    actual = con.execute(
        f"""select list(distinct "ChargeType" order by "ChargeType"),
            count(*) filter ("Tags" like '{{%'),
            count(*) filter ("Tags" like '"%'),
            list(distinct "PricingModel" order by "PricingModel")
        from read_csv('{ea}/actual/*/*/*.csv', all_varchar = true)"""
    ).fetchone()
    assert actual[0] == ["Credit", "Purchase", "Refund", "Usage"]
    assert actual[1] == 0 and actual[2] > 0  # EA: tags without outer braces
    assert actual[3] == ["OnDemand", "Reservation", "SavingsPlan", "Spot"]
    amortized = con.execute(
        f"""select list(distinct "ChargeType" order by "ChargeType")
        from read_csv('{ea}/amortized/*/*/*.csv', all_varchar = true)"""
    ).fetchone()
    assert amortized[0] == [
        "Credit",
        "Refund",
        "UnusedReservation",
        "UnusedSavingsPlan",
        "Usage",
    ]
    mca = tmp_path / "mca" / "azure_cost" / "actual"
    header = next(mca.rglob("*.csv")).read_text().splitlines()[0].split(",")
    assert "costInBillingCurrency" in header and "Cost" not in header
    gcp = str(tmp_path / "ea" / "gcp_billing" / "*" / "*" / "*.json")
    row = con.execute(
        f"""select service.description, invoice.month, typeof(labels),
            count(*) filter (len(credits) > 0) over ()
        from read_json('{gcp}', format = 'newline_delimited') limit 1"""
    ).fetchone()
    assert row[0] and len(row[1]) == 6 and row[2].endswith("[]") and row[3] > 0
    cost_types = con.execute(
        f"""select list(distinct cost_type order by cost_type)
        from read_json('{gcp}', format = 'newline_delimited')"""
    ).fetchone()[0]
    assert cost_types == ["adjustment", "regular", "rounding_error", "tax"]
