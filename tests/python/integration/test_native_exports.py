"""Native billing exports (AWS CUR 2.0, Azure cost details, Google Cloud billing
export) land in the same FOCUS fact as FOCUS exports of the same spend.

* The session warehouse holds the ci data as native exports; `focus_warehouse`
  holds the same seed's spend as FOCUS files, and `mca_warehouse` the same with
  the Azure MCA column set: their facts must be equal, row group for row group.
* A hand-written landing folder has one line of every native type, with the
  FOCUS values each must map to, read here from the test, not from the project.
* The Azure EA samples of the FinOps toolkit load as they are.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import BILLING_ONLY, FIXTURES, build_billing, run_dbt
from itfm.generate import generate
from itfm.load import load

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def mca_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mca_format")
    generate(root / "landing", "ci", 62, 7, azure_schema="mca")
    return build_billing(root, root / "landing")


# The grain both facts are compared at: everything a FOCUS row says about where
# a cost belongs. Credits are compared per provider and month: Google Cloud
# carries them on the usage rows they reduce (one Credit row per credits[]
# entry), the FOCUS files as one row per month.
GRAIN = """
    provider_name, billing_account_id, billing_period_start, charge_category,
    coalesce(charge_class, '') as charge_class, charge_frequency,
    coalesce(commitment_discount_status, '') as status,
    coalesce(commitment_discount_id, '') as commitment, sub_account_id,
    service_name, service_category, coalesce(resource_id, '') as resource_id,
    cast(charge_period_start as date) as charge_date
"""


def _fact(database: Path, providers: tuple[str, ...] | None = None) -> dict:
    con = duckdb.connect(str(database))
    where = "x_feed not in ('foreign', 'provider_defects')"
    if providers:
        where += f" and provider_name in {providers!r}".replace(",)", ")")
    rows = con.execute(
        f"""
        select {GRAIN}, sum(billed_cost), sum(effective_cost),
            round(sum(list_cost), 4), round(sum(contracted_cost), 4),
            sum(case when charge_category = 'Usage' then consumed_quantity end)
        from fct_billing_line_items
        where {where} and charge_category != 'Credit'
        group by all
        union all
        select provider_name, billing_account_id, billing_period_start,
            'Credit', '', '', '', '', '', '', '', '', null,
            sum(billed_cost), sum(effective_cost), round(sum(list_cost), 4),
            round(sum(contracted_cost), 4), null
        from fct_billing_line_items
        where {where} and charge_category = 'Credit'
        group by all
        """
    ).fetchall()
    con.close()
    return {row[:13]: row[13:] for row in rows}


def test_native_and_focus_exports_of_the_same_spend_give_the_same_fact(
    warehouse, focus_warehouse
):
    native = _fact(warehouse["database"])
    focus = _fact(focus_warehouse)
    assert len(focus) > 2000
    assert {key[0] for key in native} == {
        "AWS",
        "Microsoft",
        "Google Cloud",
        "Datadog",
    }
    missing = sorted(set(focus) - set(native))[:5]
    extra = sorted(set(native) - set(focus))[:5]
    assert not missing and not extra, (missing, extra)
    differing = [(k, native[k], focus[k]) for k in focus if native[k] != focus[k]]
    assert not differing, differing[:5]


def test_azure_mca_column_set_gives_the_same_fact(mca_warehouse, focus_warehouse):
    assert _fact(mca_warehouse, ("Microsoft",)) == _fact(
        focus_warehouse, ("Microsoft",)
    )


def test_native_exports_are_attributed_like_their_focus_twins(
    warehouse, focus_warehouse
):
    """Tags in three shapes (CUR map with user_ keys, EA JSON without braces,
    Google Cloud label arrays) give the same owners as the FOCUS Tags column."""
    query = """
        select provider_name, billing_month, x_team, x_attribution_method,
            sum(effective_cost)
        from int_line_items_attributed
        where provider_name in ('AWS', 'Microsoft', 'Google Cloud')
            and charge_category = 'Usage'
        group by all order by all
    """
    results = []
    for database in (warehouse["database"], focus_warehouse):
        con = duckdb.connect(str(database))
        results.append(con.execute(query).fetchall())
        con.close()
    assert len(results[1]) > 20
    assert results[0] == results[1]


def test_amortized_total_equals_actual_once_purchases_are_spread(con):
    """Per account and month, effective cost (covered usage + unused commitment,
    purchases at 0) adds up to billed cost (purchases billed, covered usage at
    0) once upfront fees are spread: Azure's commitments are paid monthly, so the
    two are equal; AWS's savings plan and reservation were partly paid upfront,
    so billed - upfront fees = effective - the upfront amortized in the month,
    which the CUR fee lines state."""
    rows = con.execute(
        """
        with amortized_upfront as (
            select bill_payer_account_id as billing_account_id,
                bill_billing_period_start_date as billing_period_start,
                sum(coalesce(
                    savings_plan_amortized_upfront_commitment_for_billing_period, 0)
                    + coalesce(
                    reservation_amortized_upfront_fee_for_billing_period, 0))
                    as amount
            from raw.aws_cur_line_items
            group by all
        )
        select x_source, fact.billing_account_id, fact.billing_period_start,
            sum(billed_cost) - coalesce(sum(billed_cost) filter (
                charge_category = 'Purchase' and charge_frequency = 'One-Time'
            ), 0),
            sum(effective_cost) - coalesce(any_value(amortized_upfront.amount), 0),
            count(*) filter (charge_category = 'Purchase'),
            count(*) filter (commitment_discount_status = 'Unused'),
            count(distinct commitment_discount_id)
        from fct_billing_line_items as fact
        left join amortized_upfront using (billing_account_id, billing_period_start)
        where x_source in ('azure_cost', 'aws_cur')
        group by all order by all
        """
    ).fetchall()
    assert len(rows) == 6
    for source, account, period, billed, effective, purchases, unused, ids in rows:
        assert billed == effective, (source, account, period)
        assert purchases > 0 and unused > 0 and ids == 2, (source, account, period)
    upfront = con.execute(
        """select count(*), sum(billed_cost) from fct_billing_line_items
        where charge_category = 'Purchase' and charge_frequency = 'One-Time'
            and x_source = 'aws_cur'"""
    ).fetchone()
    assert upfront[0] == 2 and upfront[1] > 0


def test_each_commitments_fees_equal_its_covered_and_unused_cost(con):
    """Per commitment and fee line (a day for savings plans and Azure, the month
    for the AWS reservation): covered usage + unused = recurring fee + the
    upfront amortized into that period (0 for Azure, from the CUR fee lines)."""
    rows = con.execute(
        """
        with fees as (
            select commitment_discount_id, charge_period_start, charge_period_end,
                sum(billed_cost) as recurring
            from fct_billing_line_items
            where charge_category = 'Purchase' and charge_frequency = 'Recurring'
                and x_source in ('aws_cur', 'azure_cost')
            group by all
        ),
        upfront as (
            select coalesce(savings_plan_savings_plan_a_r_n,
                    reservation_reservation_a_r_n) as commitment_discount_id,
                line_item_usage_start_date as charge_period_start,
                sum(coalesce(
                    savings_plan_amortized_upfront_commitment_for_billing_period, 0)
                    + coalesce(
                    reservation_amortized_upfront_fee_for_billing_period, 0))
                    as amortized
            from raw.aws_cur_line_items
            where line_item_line_item_type in ('SavingsPlanRecurringFee', 'RIFee')
            group by all
        ),
        used as (
            select fees.commitment_discount_id, fees.charge_period_start,
                sum(fact.effective_cost) as covered_and_unused
            from fees
            inner join fct_billing_line_items as fact
                on fact.commitment_discount_id = fees.commitment_discount_id
                and fact.commitment_discount_status in ('Used', 'Unused')
                and fact.charge_period_start >= fees.charge_period_start
                and fact.charge_period_start < fees.charge_period_end
            group by all
        )
        select fees.commitment_discount_id, fees.charge_period_start,
            fees.recurring + coalesce(upfront.amortized, 0),
            used.covered_and_unused
        from fees
        left join upfront using (commitment_discount_id, charge_period_start)
        left join used using (commitment_discount_id, charge_period_start)
        """
    ).fetchall()
    assert len({r[0] for r in rows}) == 4
    differing = [r for r in rows if r[2] != r[3]]
    assert not differing, differing[:5]


# ------------------------------------------------------------- hand-written rows
CUR_LINES = [
    # type, unblended, public on-demand, extra columns, expected FOCUS values:
    # (category, frequency, status, billed, effective, list, contracted)
    ("Usage", "10", "12", {}, ("Usage", "Usage-Based", None, 10, 10, 12, 10)),
    (
        "DiscountedUsage",
        "0",
        "10",
        {
            "reservation_reservation_a_r_n": "arn:ri/1",
            "reservation_effective_cost": "2.5",
        },
        ("Usage", "Usage-Based", "Used", 0, 2.5, 10, 10),
    ),
    (
        "SavingsPlanCoveredUsage",
        "8",
        "9",
        {
            "savings_plan_savings_plan_a_r_n": "arn:sp/1",
            "savings_plan_savings_plan_effective_cost": 5,
        },
        ("Usage", "Usage-Based", "Used", 0, 5, 9, 8),
    ),
    (
        "SavingsPlanNegation",
        "-8",
        "0",
        {"savings_plan_savings_plan_a_r_n": "arn:sp/1"},
        None,  # folded into the covered usage
    ),
    (
        "SavingsPlanRecurringFee",
        "7",
        "0",
        {
            "savings_plan_savings_plan_a_r_n": "arn:sp/1",
            "savings_plan_total_commitment_to_date": 7,
            "savings_plan_used_commitment": 5,
        },
        ("Purchase", "Recurring", None, 7, 0, 7, 7),
    ),
    (
        "SavingsPlanUpfrontFee",
        "100",
        "0",
        {"savings_plan_savings_plan_a_r_n": "arn:sp/2"},
        ("Purchase", "One-Time", None, 100, 0, 100, 100),
    ),
    (
        "RIFee",
        "4",
        "0",
        {
            "reservation_reservation_a_r_n": "arn:ri/1",
            "reservation_unused_amortized_upfront_fee_for_billing_period": 1,
            "reservation_unused_recurring_fee": "0.5",
        },
        ("Purchase", "Recurring", None, 4, 0, 4, 4),
    ),
    (
        "Fee",
        "50",
        "0",
        {"reservation_reservation_a_r_n": "arn:ri/2"},
        ("Purchase", "One-Time", None, 50, 0, 50, 50),
    ),
    ("Fee", "20", "0", {}, ("Purchase", "One-Time", None, 20, 20, 20, 20)),
    ("Credit", "-3", "0", {}, ("Credit", "One-Time", None, -3, -3, -3, -3)),
    ("Refund", "-2", "0", {}, ("Adjustment", "One-Time", None, -2, -2, -2, -2)),
    ("Tax", "1.5", "0", {}, ("Tax", "One-Time", None, 1.5, 1.5, 1.5, 1.5)),
    (
        "BundledDiscount",
        "-1",
        "0",
        {},
        ("Credit", "Usage-Based", None, -1, -1, -1, -1),
    ),
    ("EdpDiscount", "-0.7", "0", {}, ("Credit", "Usage-Based", None, *[-0.7] * 4)),
    # A partial-upfront reservation bought before the data starts: no purchase
    # line, its fee line states the upfront amortized into the period (4), and
    # AWS's covered cost is off by 1e-8 (as real CURs are).
    (
        "DiscountedUsage",
        "0",
        "12",
        {
            "reservation_reservation_a_r_n": "arn:ri/3",
            "reservation_effective_cost": "8.00000001",
        },
        ("Usage", "Usage-Based", "Used", 0, 8.00000001, 12, 12),
    ),
    (
        "RIFee",
        "6",
        "0",
        {
            "reservation_reservation_a_r_n": "arn:ri/3",
            "reservation_amortized_upfront_fee_for_billing_period": 4,
            "reservation_unused_amortized_upfront_fee_for_billing_period": "0.8",
            "reservation_unused_recurring_fee": "1.2",
        },
        ("Purchase", "Recurring", None, 6, 0, 6, 6),
    ),
]
CUR_COLUMNS = [
    "bill_payer_account_id",
    "bill_billing_period_start_date",
    "bill_billing_period_end_date",
    "line_item_usage_account_id",
    "line_item_line_item_type",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_product_code",
    "line_item_currency_code",
    "line_item_unblended_cost",
    "pricing_public_on_demand_cost",
    "line_item_resource_id",
    "resource_tags",
    "reservation_reservation_a_r_n",
    "reservation_effective_cost",
    "reservation_amortized_upfront_fee_for_billing_period",
    "reservation_unused_amortized_upfront_fee_for_billing_period",
    "reservation_unused_recurring_fee",
    "savings_plan_savings_plan_a_r_n",
    "savings_plan_savings_plan_effective_cost",
    "savings_plan_total_commitment_to_date",
    "savings_plan_used_commitment",
]


def _cur_csv(path: Path) -> None:
    """One CUR line of every type (as CSV: CUR 2.0 can be delivered so)."""
    lines = [",".join(CUR_COLUMNS)]
    for index, (kind, unblended, public, extra, _expected) in enumerate(CUR_LINES):
        start = "2026-02-27T00:00:00Z" if index == 0 else "2026-03-05T00:00:00Z"
        values = {
            "bill_payer_account_id": "900000000001",
            "bill_billing_period_start_date": "2026-03-01T00:00:00Z",
            "bill_billing_period_end_date": "2026-04-01T00:00:00Z",
            "line_item_usage_account_id": "900000000002",
            "line_item_line_item_type": kind,
            "line_item_usage_start_date": start,
            "line_item_usage_end_date": "2026-03-06T00:00:00Z",
            "line_item_product_code": "AmazonEC2",
            "line_item_currency_code": "USD",
            "line_item_unblended_cost": unblended,
            "pricing_public_on_demand_cost": public,
            "line_item_resource_id": f"i-{index:04d}",
            "resource_tags": '"{""user_team"": ""payments""}"',
            **{key: str(value) for key, value in extra.items()},
        }
        lines.append(",".join(values.get(column, "") for column in CUR_COLUMNS))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


GCP_ROWS = [
    {
        "billing_account_id": "0GCP00-000000-000001",
        "service": {"id": "6F81-5844-456A", "description": "Compute Engine"},
        "sku": {"id": "SKU-1", "description": "N2 core"},
        "usage_start_time": "2026-03-02 00:00:00 UTC",
        "usage_end_time": "2026-03-03 00:00:00 UTC",
        "project": {"id": "proj-a", "name": "proj-a", "labels": []},
        "labels": [
            {"key": "team", "value": "search"},
            {"key": "team", "value": "ignored"},
            {"key": "env", "value": "prod"},
        ],
        "cost": 100.25,
        "cost_at_list": 120,
        "currency": "EUR",
        "currency_conversion_rate": 0.8,
        "usage": {"amount": 24, "unit": "hour", "amount_in_pricing_units": 24},
        "credits": [
            {"name": "SUD", "amount": -10.5, "type": "SUSTAINED_USAGE_DISCOUNT"},
            {"name": "Promo", "amount": -0.25, "type": "PROMOTION", "id": "P1"},
        ],
        "invoice": {"month": "202603"},
        "cost_type": "regular",
    },
    {
        "billing_account_id": "0GCP00-000000-000001",
        "service": {"id": "UNKNOWN-ID", "description": "Brand New Service"},
        "usage_start_time": "2026-03-31 00:00:00 UTC",
        "project": {"id": "proj-a"},
        "cost": 3.1,
        "currency": "EUR",
        "currency_conversion_rate": 0.8,
        "credits": [],
        "invoice": {"month": "202603"},
        "cost_type": "tax",
    },
    {
        "billing_account_id": "0GCP00-000000-000001",
        "service": {"id": "6F81-5844-456A", "description": "Compute Engine"},
        "usage_start_time": "2026-02-10 00:00:00 UTC",
        "project": {"id": "proj-a"},
        "cost": -4,
        "currency": "EUR",
        "currency_conversion_rate": 0.8,
        "invoice": {"month": "202603"},
        "cost_type": "adjustment",
        "adjustment_info": {"id": "ADJ-1", "type": "GENERAL_ADJUSTMENT"},
    },
]


@pytest.fixture(scope="module")
def handwritten(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("native_rows")
    landing = root / "landing"
    _cur_csv(landing / "aws_cur" / "handwritten" / "data" / "export.csv")
    gcp = landing / "gcp_billing" / "handwritten" / "export.jsonl"
    gcp.parent.mkdir(parents=True)
    lines = [json.dumps(row) for row in GCP_ROWS]
    lines.insert(1, '{"billing_account_id": "0GCP00-000000-000001", "cost": ')
    gcp.write_text("\n".join(lines) + "\n\n")
    samples = FIXTURES / "azure_ea_samples"
    for dataset, name in (
        ("actual", "EA_ActualCost_Small.csv"),
        ("amortized", "EA_AmortizedCost_Small.csv"),
    ):
        target = landing / "azure_cost" / dataset / "ea_sample" / name
        target.parent.mkdir(parents=True)
        shutil.copy(samples / name, target)
    database = root / "itfm.duckdb"
    result = load(database, landing)
    build = run_dbt(database, BILLING_ONLY)
    return {"database": database, "load": result, "build": build}


@pytest.fixture
def hcon(handwritten):
    connection = duckdb.connect(str(handwritten["database"]))
    yield connection
    connection.close()


def test_handwritten_rows_build_with_every_test_passing(handwritten):
    failures = [
        (r.node.name, str(r.status), r.message)
        for r in handwritten["build"].result.results
        if str(r.status) not in ("success", "pass", "warn")
    ]
    assert not failures, failures
    names = {r.node.name for r in handwritten["build"].result.results}
    assert "assert_native_exports_tie_to_raw_totals" in names


def test_every_cur_line_item_type_maps_to_its_focus_charge(hcon):
    rows = hcon.execute(
        """
        select x_source_row, charge_category, charge_frequency,
            commitment_discount_status, billed_cost, effective_cost, list_cost,
            contracted_cost, charge_class
        from fct_billing_line_items
        where x_source = 'aws_cur' and coalesce(commitment_discount_status, '')
            != 'Unused'
        order by x_source_row
        """
    ).fetchall()
    by_row = {row[0]: row[1:] for row in rows}
    for index, (kind, *_rest, expected) in enumerate(CUR_LINES):
        if expected is None:
            assert index + 1 not in by_row, kind
            continue
        got = by_row[index + 1]
        category, frequency, status, *costs = expected
        assert got[:3] == (category, frequency, status), kind
        assert [float(v) for v in got[3:7]] == [float(c) for c in costs], kind
    # A line whose usage started before its billing period corrects an earlier one.
    assert by_row[1][7] == "Correction"
    assert {row[7] for index, row in by_row.items() if index > 1} == {None}


def test_unused_commitment_becomes_its_own_usage_row(hcon):
    rows = hcon.execute(
        """
        select commitment_discount_id, commitment_discount_type, billed_cost,
            effective_cost
        from fct_billing_line_items
        where x_source = 'aws_cur' and commitment_discount_status = 'Unused'
        order by 1
        """
    ).fetchall()
    assert rows == [
        ("arn:ri/1", "Reservation", 0, Decimal("1.5")),
        ("arn:ri/3", "Reservation", 0, Decimal("2")),
        ("arn:sp/1", "Savings Plan", 0, Decimal("2")),
    ]
    # Savings plan arn:sp/1: covered usage (5) + unused (2) = its fee (7).
    covered = hcon.execute(
        """select sum(effective_cost) from fct_billing_line_items
        where commitment_discount_id = 'arn:sp/1' and charge_category = 'Usage'"""
    ).fetchone()[0]
    assert covered == 7


def test_a_reservation_bought_before_the_data_starts_ties_with_its_upfront(hcon):
    """Covered (8.00000001) + unused (2) = recurring fee (6) + the amortized
    upfront its fee line states (4), to AWS's own rounding: not flagged."""
    upfront = hcon.execute(
        """select x_amortized_upfront_cost from fct_billing_line_items
        where commitment_discount_id = 'arn:ri/3' and charge_category = 'Purchase'"""
    ).fetchall()
    assert upfront == [(Decimal("4"),)]
    flagged = hcon.execute(
        """select check_code, x_source from fct_data_quality_monthly
        where x_source = 'aws_cur'"""
    ).fetchall()
    assert flagged == []


def test_cur_user_tag_prefix_is_removed_before_attribution(hcon):
    keys = hcon.execute(
        """select distinct unnest(map_keys(x_tags)) from fct_billing_line_items
        where x_source = 'aws_cur'"""
    ).fetchall()
    assert keys == [("team",)]


def test_gcp_credits_become_credit_rows_and_the_provider_rate_wins(hcon):
    rows = hcon.execute(
        """
        select charge_category, charge_class, service_name, service_category,
            billed_cost, x_exchange_rate, tags, sub_account_id
        from fct_billing_line_items where x_source = 'gcp_billing'
        order by x_source_row, charge_category desc, billed_cost
        """
    ).fetchall()
    assert [(r[0], r[4]) for r in rows] == [
        ("Usage", Decimal("100.25")),
        ("Credit", Decimal("-10.5")),
        ("Credit", Decimal("-0.25")),
        ("Tax", Decimal("3.1")),
        ("Adjustment", Decimal("-4")),
    ]
    # currency_conversion_rate 0.8 EUR per USD: 1.25 USD per EUR, not the seed's.
    assert {r[5] for r in rows} == {Decimal("1.25")}
    assert rows[0][2:4] == ("Compute Engine", "Compute")
    assert rows[3][2:4] == ("Brand New Service", "Other")
    assert rows[4][1] == "Correction"
    # Labels: a repeated key keeps its smallest value; credits keep their usage's.
    assert json.loads(rows[0][6]) == {"env": "prod", "team": "ignored"}
    assert rows[1][6] == rows[0][6] and rows[1][7] == "proj-a"


def test_a_malformed_json_line_is_quarantined_with_its_line(handwritten, hcon):
    quarantined = hcon.execute(
        """select line_number, error_code, raw_content from raw.load_quarantine
        where source = 'gcp_billing'"""
    ).fetchall()
    assert quarantined == [
        (2, "ITFM-Q008", '{"billing_account_id": "0GCP00-000000-000001", "cost": ')
    ]
    audit = hcon.execute(
        """select rows_read, rows_loaded, rows_quarantined from raw.load_audit
        where source = 'gcp_billing'"""
    ).fetchall()
    assert audit == [(4, 3, 1)]  # the blank last line is not a row


def test_azure_ea_samples_load_pair_and_tie(hcon):
    samples = FIXTURES / "azure_ea_samples"
    totals = {}
    for name in ("EA_ActualCost_Small.csv", "EA_AmortizedCost_Small.csv"):
        totals[name] = hcon.execute(
            f"""select count(*), sum(cast("Cost" as decimal(38, 10)))
            from read_csv('{samples / name}', all_varchar = true)"""
        ).fetchone()
    fact = hcon.execute(
        """
        select count(*), sum(billed_cost), sum(effective_cost),
            count(*) filter (x_feed = 'amortized')
        from fct_billing_line_items where x_source = 'azure_cost'
        """
    ).fetchone()
    actual_rows, actual_total = totals["EA_ActualCost_Small.csv"]
    amortized_rows, amortized_total = totals["EA_AmortizedCost_Small.csv"]
    # Billed = the actual export's total; effective = the amortized export's.
    assert fact[1] == actual_total and fact[2] == amortized_total
    # Every actual row is a fact row; amortized rows without an actual twin
    # (amortized_rows - 10 paired ones) are fact rows of their own.
    assert fact[0] == actual_rows + fact[3]
    assert fact[3] == amortized_rows - 10
    purchase = hcon.execute(
        """
        select charge_category, charge_frequency, billed_cost, effective_cost,
            commitment_discount_id, commitment_discount_type
        from fct_billing_line_items
        where x_source = 'azure_cost' and charge_category = 'Purchase'
        """
    ).fetchall()
    assert purchase == [
        (
            "Purchase",
            "Recurring",
            Decimal("3.25"),
            0,
            "/providers/Microsoft.Capacity/reservationOrders/"
            "49ed0e4d-8e0c-4f1f-af2c-67c865056615/reservations/",
            "Reservation",
        )
    ]
    reserved = hcon.execute(
        """
        select billed_cost, effective_cost, commitment_discount_status,
            pricing_category, list_cost, contracted_cost
        from fct_billing_line_items
        where x_source = 'azure_cost' and commitment_discount_status = 'Used'
            and commitment_discount_type = 'Reservation'
        """
    ).fetchall()
    assert reserved == [
        (0, Decimal("0.493152"), "Used", "Committed", 0, Decimal("1.168"))
    ]
    # EA tags have no outer braces: the fact's tags are JSON objects again.
    bad_tags = hcon.execute(
        """select count(*) from fct_billing_line_items
        where x_source = 'azure_cost' and tags is not null and not x_is_tags_valid"""
    ).fetchone()[0]
    tagged = hcon.execute(
        """select count(*) from fct_billing_line_items
        where x_source = 'azure_cost' and x_tag_count > 0"""
    ).fetchone()[0]
    assert bad_tags == 0 and tagged > 10
    # Services: the FinOps toolkit's list, by consumed service and resource type.
    services = dict(
        hcon.execute(
            """select resource_type, any_value(service_name)
            from fct_billing_line_items where x_source = 'azure_cost'
            group by 1"""
        ).fetchall()
    )
    assert services["microsoft.storage/storageaccounts"] == "Storage Accounts"
    assert services["microsoft.capacity/reservationorders"] == "Azure Reservations"
    other = hcon.execute(
        """select count(*) from fct_billing_line_items
        where x_source = 'azure_cost' and service_category = 'Other'"""
    ).fetchone()[0]
    assert other == 0
