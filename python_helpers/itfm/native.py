"""Write one provider-month of generated spend as the provider's native export.

The generator first builds the month as a FOCUS 1.2 table; these writers turn that
table into the shape the provider itself delivers, with the provider's semantics:

* AWS: Cost and Usage Report 2.0 (Parquet, ``BILLING_PERIOD=YYYY-MM`` folders).
  Savings-plan covered usage is billed at on-demand cost and cancelled by a
  ``SavingsPlanNegation`` line; reservation-covered usage is ``DiscountedUsage``
  at 0 with its ``reservation_effective_cost``. Recurring fee lines
  (``SavingsPlanRecurringFee``, ``RIFee``) carry the commitment's value for their
  period, how much of it was used and the amortized upfront part; upfront fees
  are ``SavingsPlanUpfrontFee`` or ``Fee``; negotiated discounts are
  ``EdpDiscount`` and ``BundledDiscount`` lines; spot usage has pricing term
  ``Spot``; ``resource_tags`` is a map with ``user_`` keys.
* Azure: cost details CSV, an actual and an amortized export (EA or MCA column
  set). Reservation- and savings-plan-covered usage costs 0 in the actual file
  and its amortized cost in the amortized file; purchases appear only in the
  actual file, unused commitment (``UnusedReservation``, ``UnusedSavingsPlan``)
  only in the amortized one; ``PricingModel`` is OnDemand, Reservation,
  SavingsPlan or Spot; EA writes tags without outer braces.
* Google Cloud: the BigQuery billing export's rows as JSON lines, with nested
  ``service``/``sku``/``project``/``invoice`` records, label arrays and the month's
  promotional credit spread onto BigQuery usage rows as ``credits`` entries, and
  ``cost_type`` regular, tax, adjustment or rounding_error.

So the same seed can produce both a FOCUS landing folder and a native one, and the
warehouse built from either must hold the same costs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

# FOCUS service name -> (CUR line_item_product_code, product_product_family).
AWS_PRODUCTS = {
    "Amazon Elastic Compute Cloud": ("AmazonEC2", "Compute Instance"),
    "Amazon Simple Storage Service": ("AmazonS3", "Storage"),
    "Amazon Elastic Block Store": ("AmazonEC2", "Storage"),
    "Amazon Relational Database Service": ("AmazonRDS", "Database Instance"),
    "AWS Data Transfer": ("AWSDataTransfer", "Data Transfer"),
    "Amazon CloudWatch": ("AmazonCloudWatch", "Metric"),
}
# FOCUS service name -> Azure (MeterCategory, ConsumedService, ServiceFamily).
AZURE_METERS = {
    "Virtual Machines": ("Virtual Machines", "Microsoft.Compute", "Compute"),
    "Storage Accounts": ("Storage", "Microsoft.Storage", "Storage"),
    "Azure SQL Database": ("SQL Database", "Microsoft.Sql", "Databases"),
    "Bandwidth": ("Bandwidth", "Microsoft.Network", "Networking"),
}
# FOCUS service name -> Google Cloud service id (the export's service.id).
GCP_SERVICES = {
    "Compute Engine": "6F81-5844-456A",
    "Cloud Storage": "95FF-2EF5-5EA1",
    "BigQuery": "24E6-581D-38E5",
    "Networking": "E505-1604-58F8",
}
GCP_CREDITED_SERVICE = "BigQuery"

AZURE_EA_COLUMNS = [
    "BillingAccountId",
    "BillingAccountName",
    "BillingPeriodStartDate",
    "BillingPeriodEndDate",
    "BillingProfileId",
    "BillingProfileName",
    "AccountOwnerId",
    "AccountName",
    "SubscriptionId",
    "SubscriptionName",
    "Date",
    "Product",
    "PartNumber",
    "MeterId",
    "ServiceFamily",
    "MeterCategory",
    "MeterSubCategory",
    "MeterRegion",
    "MeterName",
    "Quantity",
    "EffectivePrice",
    "Cost",
    "UnitPrice",
    "BillingCurrency",
    "ResourceLocation",
    "AvailabilityZone",
    "ConsumedService",
    "ResourceId",
    "ResourceName",
    "AdditionalInfo",
    "Tags",
    "InvoiceSectionId",
    "InvoiceSection",
    "CostCenter",
    "UnitOfMeasure",
    "ResourceGroup",
    "ReservationId",
    "ReservationName",
    "ProductOrderId",
    "ProductOrderName",
    "OfferId",
    "Term",
    "PublisherName",
    "ChargeType",
    "Frequency",
    "PublisherType",
    "PayGPrice",
    "PricingModel",
    "benefitId",
    "benefitName",
]
# MCA names for the EA columns that differ (others: the EA name in camelCase).
AZURE_MCA_NAMES = {
    "Cost": "costInBillingCurrency",
    "InvoiceSection": "invoiceSectionName",
    "ResourceGroup": "resourceGroupName",
    "AccountOwnerId": None,
    "AccountName": None,
    "PayGPrice": "PayGPrice",
}


def _values(name: str, mapping: dict[str, tuple]) -> str:
    """A VALUES relation `name(key, v1, v2, ...)` from a dict of tuples."""
    rows = ", ".join(
        "(" + ", ".join(_sql(v) for v in (key, *values)) + ")"
        for key, values in mapping.items()
    )
    width = 1 + len(next(iter(mapping.values())))
    columns = ", ".join(["k"] + [f"v{i}" for i in range(1, width)])
    return f"(values {rows}) as {name}({columns})"


def _sql(value: object) -> str:
    if value is None:
        return "null"
    return "'" + str(value).replace("'", "''") + "'"


# The units each provider writes for the generator's FOCUS units (mapped back by
# seeds/reference/native_units.csv).
NATIVE_UNITS = {
    "aws_cur": {"Hours": "Hrs", "GB-Months": "GB-Mo"},
    "azure_cost": {"Hours": "1 Hour", "GB-Months": "1 GB/Month", "GB": "1 GB"},
    "gcp_billing": {
        "Hours": "hour",
        "GB-Months": "gibibyte month",
        "GB": "gibibyte",
        "TB": "tebibyte",
    },
}


def _native_unit(column: str, source: str) -> str:
    """SQL: the provider's spelling of a FOCUS unit column."""
    cases = " ".join(
        f"when {_sql(focus)} then {_sql(native)}"
        for focus, native in NATIVE_UNITS[source].items()
    )
    return f"case {column} {cases} else {column} end"


def _connect(table: pa.Table) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.register("focus_arrow", table)
    # Native exports state a quantity on every line (fees, credits, unused
    # commitment); FOCUS leaves ConsumedQuantity to usage, so it is taken back
    # from PricingQuantity where FOCUS has none.
    con.execute(
        "create temp table focus as select row_number() over () as n, * replace ("
        "coalesce(ConsumedQuantity, PricingQuantity) as ConsumedQuantity, "
        "coalesce(ConsumedUnit, PricingUnit) as ConsumedUnit) "
        "from focus_arrow"
    )
    return con


# The SQL of write_cur (str.format: {name} fields, {{ }} literal braces).
CUR_SQL = """
        create temp table cur as
        with unused as (
            -- Each fee line's unused commitment (same commitment and start).
            select CommitmentDiscountId, ChargePeriodStart,
                sum(EffectiveCost) as unused_cost
            from focus
            where CommitmentDiscountStatus = 'Unused'
            group by 1, 2
        ),
        covered as (
            -- Covered usage inside each fee line's period.
            select fee.CommitmentDiscountId, fee.ChargePeriodStart,
                sum(usage.EffectiveCost) as covered_cost
            from focus as fee
            inner join focus as usage
                on usage.CommitmentDiscountId = fee.CommitmentDiscountId
                and usage.CommitmentDiscountStatus = 'Used'
                and usage.ChargePeriodStart >= fee.ChargePeriodStart
                and usage.ChargePeriodStart < fee.ChargePeriodEnd
            where fee.ChargeCategory = 'Purchase'
                and fee.ChargeFrequency = 'Recurring'
            group by 1, 2
        ),
        typed as (
            select
                focus.*,
                case
                    when CommitmentDiscountStatus = 'Used'
                        and CommitmentDiscountType = 'Savings Plan'
                        then 'SavingsPlanCoveredUsage'
                    when CommitmentDiscountStatus = 'Used' then 'DiscountedUsage'
                    when ChargeCategory = 'Purchase'
                        and CommitmentDiscountType = 'Savings Plan'
                        and ChargeFrequency = 'One-Time'
                        then 'SavingsPlanUpfrontFee'
                    when ChargeCategory = 'Purchase'
                        and CommitmentDiscountType = 'Savings Plan'
                        then 'SavingsPlanRecurringFee'
                    when ChargeCategory = 'Purchase'
                        and ChargeFrequency = 'Recurring' then 'RIFee'
                    when ChargeCategory = 'Purchase' then 'Fee'
                    when ChargeDescription like 'Enterprise discount%'
                        then 'EdpDiscount'
                    when ChargeDescription like 'Bundled discount%'
                        then 'BundledDiscount'
                    when ChargeCategory = 'Credit' then 'Credit'
                    when ChargeCategory = 'Adjustment' then 'Refund'
                    when ChargeCategory = 'Tax' then 'Tax'
                    else 'Usage'
                end as line_type,
                coalesce(unused.unused_cost, 0) as unused_cost,
                -- The commitment's value for the fee line's period: covered +
                -- unused; the recurring fee is its billed part, the rest is the
                -- amortized upfront fee.
                coalesce(covered.covered_cost, 0)
                    + coalesce(unused.unused_cost, 0) as commitment_value
            from focus
            left join unused
                on focus.ChargeCategory = 'Purchase'
                and focus.CommitmentDiscountId = unused.CommitmentDiscountId
                and focus.ChargePeriodStart = unused.ChargePeriodStart
            left join covered
                on focus.ChargeCategory = 'Purchase'
                and focus.CommitmentDiscountId = covered.CommitmentDiscountId
                and focus.ChargePeriodStart = covered.ChargePeriodStart
            where CommitmentDiscountStatus is distinct from 'Unused'
        ),
        lines as (
            select *, 0 as negation from typed
            union all
            select *, 1 as negation from typed
            where line_type = 'SavingsPlanCoveredUsage'
        )
        select
            'Anniversary' as bill_bill_type,
            'AWS' as bill_billing_entity,
            BillingPeriodEnd::timestamp as bill_billing_period_end_date,
            BillingPeriodStart::timestamp as bill_billing_period_start_date,
            InvoiceId as bill_invoice_id,
            'Amazon Web Services, Inc.' as bill_invoicing_entity,
            BillingAccountId as bill_payer_account_id,
            BillingAccountName as bill_payer_account_name,
            md5(n || ':' || negation || ':' || BillingPeriodStart)
                as identity_line_item_id,
            strftime(ChargePeriodStart, '%Y-%m-%dT%H:%M:%SZ') || '/'
                || strftime(ChargePeriodEnd, '%Y-%m-%dT%H:%M:%SZ')
                as identity_time_interval,
            case when negation = 1 then 'SavingsPlanNegation' else line_type end
                as line_item_line_item_type,
            SubAccountId as line_item_usage_account_id,
            SubAccountName as line_item_usage_account_name,
            ChargePeriodStart::timestamp as line_item_usage_start_date,
            ChargePeriodEnd::timestamp as line_item_usage_end_date,
            products.v1 as line_item_product_code,
            products.v2 as product_product_family,
            ChargeDescription as line_item_line_item_description,
            case when negation = 1 then 0 else ConsumedQuantity end::double
                as line_item_usage_amount,
            case
                when negation = 1 then -ContractedCost
                when line_type = 'SavingsPlanCoveredUsage' then ContractedCost
                when line_type = 'DiscountedUsage' then 0
                else BilledCost
            end::double as line_item_unblended_cost,
            case when ConsumedQuantity > 0 and negation = 0
                and line_type != 'DiscountedUsage'
                then ContractedCost / ConsumedQuantity end::double
                as line_item_unblended_rate,
            case when negation = 1 then 0 else ListCost end::double
                as pricing_public_on_demand_cost,
            case when ConsumedQuantity > 0
                then ListCost / ConsumedQuantity end::double
                as pricing_public_on_demand_rate,
            {pricing_unit} as pricing_unit,
            case
                when line_type = 'SavingsPlanCoveredUsage' then 'Savings Plan'
                when line_type = 'DiscountedUsage' then 'Reserved'
                when PricingCategory = 'Dynamic' then 'Spot'
                else 'OnDemand'
            end as pricing_term,
            BillingCurrency as line_item_currency_code,
            ResourceId as line_item_resource_id,
            RegionId as product_region_code,
            RegionName as product_location,
            SkuId as product_sku,
            products.v1 as product_servicecode,
            case when RegionId = 'eu-west-1' then 'EU-' else 'USE1-' end
                || case when PricingCategory = 'Dynamic' then 'SpotUsage:' else '' end
                || coalesce(SkuId, 'Fee') as line_item_usage_type,
            map_from_entries(list_transform(
                map_entries(coalesce(
                    try_cast(json(Tags) as map(varchar, varchar)),
                    map()::map(varchar, varchar)
                )),
                lambda e: {{'key': 'user_' || e.key, 'value': e.value}}
            )) as resource_tags,
            map {{'product_name': ServiceName}} as product,
            case when CommitmentDiscountType = 'Savings Plan'
                then CommitmentDiscountId end as savings_plan_savings_plan_a_r_n,
            case when line_type = 'SavingsPlanCoveredUsage' and negation = 0
                then EffectiveCost else 0 end::double
                as savings_plan_savings_plan_effective_cost,
            case when line_type = 'SavingsPlanRecurringFee'
                then commitment_value else 0 end::double
                as savings_plan_total_commitment_to_date,
            case when line_type = 'SavingsPlanRecurringFee'
                then commitment_value - unused_cost else 0 end::double
                as savings_plan_used_commitment,
            case when line_type = 'SavingsPlanRecurringFee'
                then BilledCost else 0 end::double
                as savings_plan_recurring_commitment_for_billing_period,
            case when line_type = 'SavingsPlanRecurringFee'
                then commitment_value - BilledCost else 0 end::double
                as savings_plan_amortized_upfront_commitment_for_billing_period,
            case when CommitmentDiscountType = 'Reservation'
                then CommitmentDiscountId end as reservation_reservation_a_r_n,
            case when line_type = 'DiscountedUsage'
                then EffectiveCost else 0 end::double
                as reservation_effective_cost,
            case when line_type = 'RIFee'
                then commitment_value - BilledCost else 0 end::double
                as reservation_amortized_upfront_fee_for_billing_period,
            -- The unused part of the reservation, split like its value.
            case when line_type = 'RIFee' and commitment_value > 0
                then round(unused_cost * BilledCost / commitment_value, 6)
                else 0 end::double as reservation_unused_recurring_fee,
            case when line_type = 'RIFee' and commitment_value > 0
                then unused_cost
                    - round(unused_cost * BilledCost / commitment_value, 6)
                else 0 end::double
                as reservation_unused_amortized_upfront_fee_for_billing_period
        from lines
        left join {products} on lines.ServiceName = products.k
        order by n, negation
        """


def write_cur(table: pa.Table, out: Path, period_start: dt.date) -> Path:
    """AWS CUR 2.0 for one billing period; returns the file written."""
    path = (
        out
        / "aws_cur"
        / "acme-cur"
        / "data"
        / f"BILLING_PERIOD={period_start:%Y-%m}"
        / f"acme-cur-{period_start:%Y%m}-00001.snappy.parquet"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(table)
    products = _values("products", AWS_PRODUCTS)
    con.execute(
        CUR_SQL.format(
            pricing_unit=_native_unit("PricingUnit", "aws_cur"), products=products
        )
    )
    con.execute(
        f"copy cur to {_sql(path)} (format parquet, compression snappy, "
        "row_group_size 1000000)"
    )
    con.close()
    return path


# The SQL of write_azure (str.format: {name} fields, {{ }} literal braces).
AZURE_SQL = """
        create temp table azure as
        select
            focus.*,
            case
                when ChargeCategory = 'Purchase' then 'Purchase'
                when CommitmentDiscountStatus = 'Unused'
                    and CommitmentDiscountType = 'Savings Plan'
                    then 'UnusedSavingsPlan'
                when CommitmentDiscountStatus = 'Unused' then 'UnusedReservation'
                when ChargeCategory = 'Credit' then 'Credit'
                when ChargeCategory = 'Adjustment' then 'Refund'
                when ChargeCategory = 'Tax' then 'Tax'
                else 'Usage'
            end as charge_type,
            case
                when CommitmentDiscountType = 'Savings Plan' then 'SavingsPlan'
                when CommitmentDiscountType = 'Reservation' then 'Reservation'
                when PricingCategory = 'Dynamic' then 'Spot'
                else 'OnDemand'
            end as pricing_model,
            case ChargeFrequency when 'Recurring' then 'Recurring'
                when 'One-Time' then 'OneTime' else 'UsageBased' end as frequency,
            meters.v1 as meter_category,
            meters.v2 as consumed_service,
            meters.v3 as service_family,
            {tags} as tags_text
        from focus
        left join {meters} on focus.ServiceName = meters.k
        """


def write_azure(
    table: pa.Table, out: Path, period_start: dt.date, schema: str = "ea"
) -> list[Path]:
    """Azure cost details, actual and amortized, EA or MCA column set."""
    if schema not in ("ea", "mca"):
        raise ValueError("schema must be 'ea' or 'mca'")
    period_end = (period_start + dt.timedelta(days=32)).replace(day=1)
    folder = f"{period_start:%Y%m%d}-{period_end - dt.timedelta(days=1):%Y%m%d}"
    con = _connect(table)
    meters = _values("meters", AZURE_METERS)
    tags = (
        "nullif(trim(Tags[2:length(Tags) - 1]), '')"
        if schema == "ea"
        else "case when Tags = '{}' then null else Tags end"
    )
    con.execute(AZURE_SQL.format(tags=tags, meters=meters))
    names = _azure_names(schema)
    paths = []
    for dataset, cost, where in (
        (
            "actual",
            "case when CommitmentDiscountStatus = 'Used' then 0 else BilledCost end",
            "charge_type not in ('UnusedReservation', 'UnusedSavingsPlan')",
        ),
        ("amortized", "EffectiveCost", "charge_type != 'Purchase'"),
    ):
        path = (
            out
            / "azure_cost"
            / dataset
            / f"acme-{schema}-{dataset}"
            / folder
            / "part_0_0001.csv"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"copy (select {_azure_select(cost, schema, names)} from azure "
            f"where {where} order by n) "
            f"to {_sql(path)} (header, delimiter ',')"
        )
        paths.append(path)
    con.close()
    return paths


# The SQL of write_gcp (str.format: {name} fields, {{ }} literal braces).
GCP_SQL = """
        create temp table gcp as
        with usage_rows as (
            select * from focus where ChargeCategory != 'Credit'
        ),
        month_credit as (
            select coalesce(sum(BilledCost), 0) as amount
            from focus where ChargeCategory = 'Credit'
        ),
        credit_base as (
            -- The month's credit goes onto the credited service's usage (all
            -- usage when the month has none), in proportion to cost.
            select n, BilledCost from usage_rows
            where ChargeCategory = 'Usage' and (
                ServiceName = {credited}
                or not exists (
                    select 1 from usage_rows where ServiceName = {credited}
                )
            )
        ),
        shares as (
            select
                n,
                cast(
                    (select amount from month_credit) * BilledCost
                    / sum(BilledCost) over () as decimal(18, 6)
                ) as amount,
                row_number() over (order by BilledCost desc, n) as rank
            from credit_base
        ),
        credits as (
            select
                n,
                amount + case when rank = 1 then
                    (select amount from month_credit) - sum(amount) over ()
                    else 0 end as amount
            from shares
        )
        select
            usage_rows.n,
            usage_rows.BillingAccountId as billing_account_id,
            {{'id': services.v1, 'description': usage_rows.ServiceName}}
                as service,
            {{'id': usage_rows.SkuId, 'description': usage_rows.ChargeDescription}}
                as sku,
            strftime(usage_rows.ChargePeriodStart, '%Y-%m-%d %H:%M:%S UTC')
                as usage_start_time,
            strftime(usage_rows.ChargePeriodEnd, '%Y-%m-%d %H:%M:%S UTC')
                as usage_end_time,
            {{
                'id': usage_rows.SubAccountId,
                'number': cast(abs(hash(usage_rows.SubAccountId)) % 1000000000000
                    as varchar),
                'name': usage_rows.SubAccountName,
                'labels': [],
                'ancestry_numbers': '/1234567890/',
                'ancestors': [
                    {{'resource_name': 'projects/' || usage_rows.SubAccountId,
                      'display_name': usage_rows.SubAccountName}},
                    {{'resource_name': 'organizations/1234567890',
                      'display_name': 'acme.example'}}
                ]
            }} as project,
            coalesce(list_transform(
                map_entries(try_cast(json(usage_rows.Tags) as map(varchar, varchar))),
                lambda e: {{
                    'key': regexp_replace(lower(e.key), '[^a-z0-9_-]', '_', 'g'),
                    'value': regexp_replace(lower(e.value), '[^a-z0-9_-]', '_', 'g')
                }}
            ), []) as labels,
            [] :: struct(key varchar, value varchar)[] as system_labels,
            {{
                'location': usage_rows.RegionId,
                'country': case when usage_rows.RegionId like 'europe%'
                    then 'NL' else 'US' end,
                'region': usage_rows.RegionId,
                'zone': null::varchar
            }} as location,
            {{'name': usage_rows.ResourceName,
              'global_name': usage_rows.ResourceId}} as resource,
            strftime(usage_rows.ChargePeriodEnd + interval 6 hour,
                '%Y-%m-%d %H:%M:%S UTC') as export_time,
            usage_rows.BilledCost as cost,
            usage_rows.BillingCurrency as currency,
            1.0 as currency_conversion_rate,
            {{
                'amount': usage_rows.ConsumedQuantity,
                'unit': {consumed_unit},
                'amount_in_pricing_units': usage_rows.PricingQuantity,
                'pricing_unit': {pricing_unit}
            }} as usage,
            case when credits.amount is not null then [{{
                'name': 'Promotional credit',
                'amount': credits.amount,
                'full_name': 'Acme launch promotion',
                'id': 'PROMO-ACME-2026',
                'type': 'PROMOTION'
            }}] else [] end as credits,
            {{'month': strftime(usage_rows.BillingPeriodStart, '%Y%m')}} as invoice,
            case
                when usage_rows.ChargeCategory = 'Tax' then 'tax'
                when usage_rows.ChargeDescription = 'Rounding error'
                    then 'rounding_error'
                when usage_rows.ChargeCategory = 'Adjustment' then 'adjustment'
                else 'regular'
            end as cost_type,
            usage_rows.ListCost as cost_at_list
        from usage_rows
        left join {services} on usage_rows.ServiceName = services.k
        left join credits on usage_rows.n = credits.n
        order by usage_rows.n
        """


def _azure_names(schema: str) -> dict[str, str]:
    """EA column -> the schema's name for it (MCA: camelCase, some renamed)."""
    if schema != "mca":
        return {column: column for column in AZURE_EA_COLUMNS}
    return {
        column: AZURE_MCA_NAMES.get(column, column[0].lower() + column[1:])
        for column in AZURE_EA_COLUMNS
    }


def _azure_expressions(cost: str) -> dict[str, str]:
    """Each EA cost-details column as SQL over the FOCUS rows; `cost` is the
    dataset's cost (actual or amortized)."""
    return {
        column: sql.replace("{cost}", cost)
        for column, sql in AZURE_EA_EXPRESSIONS.items()
    }


PRICE = "case when ConsumedQuantity != 0 then {} / ConsumedQuantity end"
RESERVATION = "case when pricing_model = 'Reservation' then {} end"
# Each EA cost-details column as SQL over the FOCUS rows; {cost} is the
# dataset's cost (actual or amortized).
AZURE_EA_EXPRESSIONS = {
    "BillingAccountId": "BillingAccountId",
    "BillingAccountName": "BillingAccountName",
    "BillingPeriodStartDate": "strftime(BillingPeriodStart, '%m/%d/%Y')",
    "BillingPeriodEndDate": ("strftime(BillingPeriodEnd - interval 1 day, '%m/%d/%Y')"),
    "BillingProfileId": "BillingAccountId",
    "BillingProfileName": "BillingAccountName",
    "AccountOwnerId": "'finops@acme.example'",
    "AccountName": "'Acme FinOps'",
    "SubscriptionId": "SubAccountId",
    "SubscriptionName": "SubAccountName",
    "Date": "strftime(ChargePeriodStart, '%m/%d/%Y')",
    "Product": "coalesce(meter_category, 'Reservation') || ' - ' "
    "|| coalesce(RegionName, 'global')",
    "PartNumber": "SkuId",
    "MeterId": "SkuId",
    "ServiceFamily": "service_family",
    "MeterCategory": "meter_category",
    "MeterSubCategory": "ServiceSubcategory",
    "MeterRegion": "RegionName",
    "MeterName": "ConsumedUnit",
    "Quantity": "ConsumedQuantity",
    "EffectivePrice": PRICE.format("{cost}"),
    "Cost": "{cost}",
    "UnitPrice": PRICE.format("ContractedCost"),
    "BillingCurrency": "BillingCurrency",
    "ResourceLocation": "RegionId",
    "AvailabilityZone": "null",
    "ConsumedService": "consumed_service",
    "ResourceId": "ResourceId",
    "ResourceName": "ResourceName",
    "AdditionalInfo": "null",
    "Tags": "tags_text",
    "InvoiceSectionId": "'IS-ACME-01'",
    "InvoiceSection": "'Acme Europe'",
    "CostCenter": "null",
    "UnitOfMeasure": _native_unit("PricingUnit", "azure_cost"),
    "ResourceGroup": "split_part(ResourceId, '/', 5)",
    "ReservationId": RESERVATION.format("CommitmentDiscountId"),
    "ReservationName": RESERVATION.format("CommitmentDiscountName"),
    "ProductOrderId": "split_part(CommitmentDiscountId, '/', 5)",
    "ProductOrderName": "CommitmentDiscountName",
    "OfferId": "'MS-AZR-0017P'",
    "Term": "case when CommitmentDiscountId is not null then '12' end",
    "PublisherName": "'Microsoft'",
    "ChargeType": "charge_type",
    "Frequency": "frequency",
    "PublisherType": "'Azure'",
    "PayGPrice": PRICE.format("ListCost"),
    "PricingModel": "pricing_model",
    "benefitId": "CommitmentDiscountId",
    "benefitName": "CommitmentDiscountName",
}


def _azure_select(cost: str, schema: str, names: dict[str, str]) -> str:
    """The select list of one dataset, in the schema's column names."""
    exprs = _azure_expressions(cost)
    columns = [
        f"{exprs[column]} as {names[column]}"
        for column in AZURE_EA_COLUMNS
        if names[column]
    ]
    if schema == "mca":
        columns += [
            "InvoiceId as invoiceId",
            "BillingCurrency as pricingCurrency",
            "1.0 as exchangeRatePricingToBilling",
            "ListCost as paygCostInBillingCurrency",
        ]
    return ", ".join(columns)


def write_gcp(table: pa.Table, out: Path, period_start: dt.date) -> Path:
    """The Google Cloud billing export for one invoice month, as JSON lines."""
    path = (
        out
        / "gcp_billing"
        / "acme-billing-export"
        / f"invoice_month={period_start:%Y%m}"
        / "gcp_billing_export_v1-000000000000.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(table)
    services = _values("services", {k: (v,) for k, v in GCP_SERVICES.items()})
    credited = _sql(GCP_CREDITED_SERVICE)
    con.execute(
        GCP_SQL.format(
            credited=credited,
            consumed_unit=_native_unit("usage_rows.ConsumedUnit", "gcp_billing"),
            pricing_unit=_native_unit("usage_rows.PricingUnit", "gcp_billing"),
            services=services,
        )
    )
    con.execute(f"copy (select * exclude (n) from gcp) to {_sql(path)} (format json)")
    con.close()
    return path
