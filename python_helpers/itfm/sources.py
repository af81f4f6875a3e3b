"""Declared schemas of every landing source: columns, types, required values, slices.

Types are logical: the loader turns each into a DuckDB expression that reads the
value whatever the file's physical type (text in CSV, anything in Parquet).
"""

from __future__ import annotations

from dataclasses import dataclass

MONEY_TYPE = "decimal(38, 10)"
LOGICAL_TYPES = {
    "varchar": "varchar",
    "json": "varchar",
    "money": MONEY_TYPE,
    "decimal": "decimal(38, 10)",
    "unit_price": "decimal(38, 16)",
    "double": "double",
    "bigint": "bigint",
    "integer": "integer",
    "timestamp": "timestamp",
    "date": "date",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class Source:
    """One landing subfolder and the raw table it loads into."""

    folder: str
    table: str
    columns: tuple[Column, ...]
    slice_keys: tuple[str, ...]
    description: str
    is_focus: bool = False
    # Other names providers use for a column (any case): name -> declared name.
    renames: tuple[tuple[str, str], ...] = ()
    # Feeds (first subfolder) the source accepts; empty: any.
    feeds: tuple[str, ...] = ()
    # The column whose sum load_slice_history records before and after a restatement.
    cost_column: str | None = None
    # Columns holding an ISO 4217 currency code: another value is quarantined.
    currency_columns: tuple[str, ...] = ()
    # (billing period start, end, longest plausible period in days): a period
    # before 2000, ending on or before its start, or longer is quarantined.
    billing_period: tuple[str, str, int] | None = None
    # Measures that cannot be negative (usage, counts, durations): a negative
    # value is quarantined rather than allocated or right-sized.
    non_negative: tuple[str, ...] = ()
    # How the provider writes slash dates (MDY or DMY) when the file does not
    # show it: Azure's cost details write MM/DD/YYYY.
    date_order: str | None = None
    # (billing period start, charge date): a charge falls within a month of
    # its period's start, which tells day-first from month-first dates.
    charge_in_period: tuple[str, str] | None = None

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _cols(spec: str) -> tuple[Column, ...]:
    """Parse 'Name:type[!]' lines; '!' marks a required value."""
    columns = []
    for line in spec.split():
        name, kind = line.split(":")
        columns.append(Column(name, kind.rstrip("!"), kind.endswith("!")))
    return tuple(columns)


FOCUS_COLUMNS = _cols(
    """
    AvailabilityZone:varchar BilledCost:money! BillingAccountId:varchar!
    BillingAccountName:varchar BillingAccountType:varchar BillingCurrency:varchar!
    BillingPeriodEnd:timestamp! BillingPeriodStart:timestamp!
    CapacityReservationId:varchar CapacityReservationStatus:varchar
    ChargeCategory:varchar! ChargeClass:varchar ChargeDescription:varchar
    ChargeFrequency:varchar ChargePeriodEnd:timestamp! ChargePeriodStart:timestamp!
    CommitmentDiscountCategory:varchar CommitmentDiscountId:varchar
    CommitmentDiscountName:varchar CommitmentDiscountQuantity:decimal
    CommitmentDiscountStatus:varchar CommitmentDiscountType:varchar
    CommitmentDiscountUnit:varchar ConsumedQuantity:decimal ConsumedUnit:varchar
    ContractedCost:money ContractedUnitPrice:unit_price EffectiveCost:money!
    InvoiceId:varchar InvoiceIssuerName:varchar ListCost:money
    ListUnitPrice:unit_price PricingCategory:varchar PricingCurrency:varchar
    PricingCurrencyContractedUnitPrice:unit_price PricingCurrencyEffectiveCost:money
    PricingCurrencyListUnitPrice:unit_price PricingQuantity:decimal
    PricingUnit:varchar ProviderName:varchar! PublisherName:varchar
    RegionId:varchar RegionName:varchar ResourceId:varchar ResourceName:varchar
    ResourceType:varchar ServiceCategory:varchar ServiceName:varchar
    ServiceSubcategory:varchar SkuId:varchar SkuMeter:varchar
    SkuPriceDetails:json SkuPriceId:varchar SubAccountId:varchar
    SubAccountName:varchar SubAccountType:varchar Tags:json
    """
)

# Columns each FOCUS version introduced (used to infer an undeclared version).
FOCUS_1_1_COLUMNS = {
    "CapacityReservationId",
    "CapacityReservationStatus",
    "CommitmentDiscountQuantity",
    "CommitmentDiscountUnit",
    "ServiceSubcategory",
    "SkuMeter",
    "SkuPriceDetails",
}
FOCUS_1_2_COLUMNS = {
    "BillingAccountType",
    "SubAccountType",
    "InvoiceId",
    "PricingCurrency",
    "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost",
    "PricingCurrencyListUnitPrice",
}
# Columns FOCUS 1.3 introduced. Its Allocated* columns (a provider's split cost
# allocation) and ContractApplied are kept in x_extra_columns.
FOCUS_1_3_COLUMNS = {
    "ServiceProviderName",
    "HostProviderName",
    "AllocatedMethodId",
    "AllocatedMethodDetails",
    "AllocatedResourceId",
    "AllocatedResourceName",
    "AllocatedTags",
    "ContractApplied",
}
SUPPORTED_FOCUS_VERSIONS = ("1.0", "1.1", "1.2", "1.3")
# FOCUS 1.3's successors of columns it deprecated: when a file has both, the
# successor is read and the deprecated column is kept in x_extra_columns.
FOCUS_SUCCESSORS = {
    "ServiceProviderName": "ProviderName",
    "HostProviderName": "PublisherName",
}
# Names used by earlier drafts (1.0-preview) of FOCUS for the same column; a file
# that has both a name and its alias is refused (ITFM-L012), as is a column twice.
FOCUS_RENAMES = {
    "AmortizedCost": "EffectiveCost",
    "ChargeType": "ChargeCategory",
    "UsageQuantity": "ConsumedQuantity",
    "UsageUnit": "ConsumedUnit",
    "Region": "RegionName",
}
# Columns only FOCUS 0.5 (before 1.0) has: without a ChargeCategory column, a
# file with one of these is FOCUS 0.5 and refused (ITFM-L005).
FOCUS_0_5_COLUMNS = {"ChargeType", "AmortizedCost", "BilledCurrency", "UsageQuantity"}

# AWS Cost and Usage Report 2.0 (AWS Data Exports): the columns itfm reads. Maps
# (resource_tags, product) arrive as JSON text.
AWS_CUR_COLUMNS = _cols(
    """
    bill_bill_type:varchar bill_billing_entity:varchar
    bill_billing_period_end_date:timestamp! bill_billing_period_start_date:timestamp!
    bill_invoice_id:varchar bill_invoicing_entity:varchar
    bill_payer_account_id:varchar! bill_payer_account_name:varchar
    identity_line_item_id:varchar identity_time_interval:varchar
    line_item_availability_zone:varchar line_item_currency_code:varchar!
    line_item_legal_entity:varchar line_item_line_item_description:varchar
    line_item_line_item_type:varchar! line_item_net_unblended_cost:money
    line_item_operation:varchar line_item_product_code:varchar
    line_item_resource_id:varchar line_item_unblended_cost:money!
    line_item_unblended_rate:unit_price line_item_usage_account_id:varchar
    line_item_usage_account_name:varchar line_item_usage_amount:decimal
    line_item_usage_end_date:timestamp line_item_usage_start_date:timestamp!
    line_item_usage_type:varchar pricing_currency:varchar
    pricing_public_on_demand_cost:money pricing_public_on_demand_rate:unit_price
    pricing_term:varchar pricing_unit:varchar product:json
    product_instance_type:varchar product_location:varchar
    product_product_family:varchar product_region_code:varchar
    product_servicecode:varchar product_sku:varchar
    reservation_amortized_upfront_fee_for_billing_period:money
    reservation_effective_cost:money reservation_reservation_a_r_n:varchar
    reservation_unused_amortized_upfront_fee_for_billing_period:money
    reservation_unused_recurring_fee:money resource_tags:json
    savings_plan_amortized_upfront_commitment_for_billing_period:money
    savings_plan_recurring_commitment_for_billing_period:money
    savings_plan_savings_plan_a_r_n:varchar
    savings_plan_savings_plan_effective_cost:money
    savings_plan_savings_plan_rate:unit_price
    savings_plan_total_commitment_to_date:money
    savings_plan_used_commitment:money
    """
)

# Azure cost details, EA and MCA column sets in one declaration: names match in any
# case ("billingAccountId" is BillingAccountId); AZURE_RENAMES covers the rest.
AZURE_COST_COLUMNS = _cols(
    """
    AdditionalInfo:json AvailabilityZone:varchar BenefitId:varchar
    BenefitName:varchar BillingAccountId:varchar! BillingAccountName:varchar
    BillingCurrency:varchar! BillingPeriodEndDate:date BillingPeriodStartDate:date!
    BillingProfileId:varchar BillingProfileName:varchar ChargeType:varchar!
    ConsumedService:varchar CostCenter:varchar CostInBillingCurrency:money!
    Date:date! EffectivePrice:unit_price ExchangeRatePricingToBilling:decimal
    Frequency:varchar InvoiceId:varchar InvoiceSectionId:varchar
    InvoiceSectionName:varchar MeterCategory:varchar MeterId:varchar
    MeterName:varchar MeterRegion:varchar MeterSubCategory:varchar OfferId:varchar
    PartNumber:varchar PayGPrice:unit_price PaygCostInBillingCurrency:money
    PlanName:varchar PricingCurrency:varchar PricingModel:varchar
    Product:varchar ProductOrderId:varchar ProductOrderName:varchar
    PublisherName:varchar PublisherType:varchar Quantity:decimal
    ReservationId:varchar ReservationName:varchar ResourceGroup:varchar
    ResourceId:varchar ResourceLocation:varchar ResourceName:varchar
    ServiceFamily:varchar SubscriptionId:varchar SubscriptionName:varchar
    Tags:json Term:varchar UnitOfMeasure:varchar UnitPrice:unit_price
    """
)
AZURE_RENAMES = (
    ("Cost", "CostInBillingCurrency"),
    ("PreTaxCost", "CostInBillingCurrency"),
    ("BillingCurrencyCode", "BillingCurrency"),
    ("Currency", "BillingCurrency"),
    ("PricingCurrencyCode", "PricingCurrency"),
    ("ResourceGroupName", "ResourceGroup"),
    ("InvoiceSection", "InvoiceSectionName"),
    ("SubscriptionGuid", "SubscriptionId"),
    ("InstanceId", "ResourceId"),
    ("InstanceName", "ResourceId"),
    ("ProductName", "Product"),
    ("UsageDate", "Date"),
    ("UsageQuantity", "Quantity"),
)

# Google Cloud billing export (the BigQuery table's rows as JSON lines): nested
# records are flattened one level with "_" (service.id -> service_id); repeated
# fields (labels, credits) arrive as JSON text.
GCP_BILLING_COLUMNS = _cols(
    """
    adjustment_info_description:varchar adjustment_info_id:varchar
    adjustment_info_mode:varchar adjustment_info_type:varchar
    billing_account_id:varchar! cost:money! cost_at_list:money cost_type:varchar
    credits:json currency:varchar! currency_conversion_rate:decimal
    export_time:timestamp invoice_month:varchar! labels:json
    location_country:varchar location_location:varchar location_region:varchar
    location_zone:varchar price_effective_price:unit_price price_unit:varchar
    project_ancestors:json project_id:varchar project_labels:json
    project_name:varchar project_number:varchar resource_global_name:varchar
    resource_name:varchar seller_name:varchar service_description:varchar
    service_id:varchar sku_description:varchar sku_id:varchar system_labels:json
    transaction_type:varchar usage_amount:decimal
    usage_amount_in_pricing_units:decimal usage_end_time:timestamp
    usage_pricing_unit:varchar usage_start_time:timestamp! usage_unit:varchar
    """
)

SOURCES: dict[str, Source] = {
    source.folder: source
    for source in [
        Source(
            "focus",
            "focus_line_items",
            FOCUS_COLUMNS,
            ("BillingAccountId", "BillingPeriodStart"),
            "FOCUS 1.0-1.3 cost and usage exports (any provider).",
            is_focus=True,
            renames=tuple(FOCUS_SUCCESSORS.items()) + tuple(FOCUS_RENAMES.items()),
            cost_column="BilledCost",
            currency_columns=("BillingCurrency",),
            billing_period=("BillingPeriodStart", "BillingPeriodEnd", 366),
            charge_in_period=("BillingPeriodStart", "ChargePeriodStart"),
        ),
        Source(
            "aws_cur",
            "aws_cur_line_items",
            AWS_CUR_COLUMNS,
            ("bill_payer_account_id", "bill_billing_period_start_date"),
            "AWS CUR 2.0 (Data Exports) or the legacy CUR, Parquet or CSV.",
            cost_column="line_item_unblended_cost",
            currency_columns=("line_item_currency_code",),
            billing_period=(
                "bill_billing_period_start_date",
                "bill_billing_period_end_date",
                31,
            ),
        ),
        Source(
            "azure_cost",
            "azure_cost_details",
            AZURE_COST_COLUMNS,
            ("BillingAccountId", "BillingPeriodStartDate"),
            "Azure cost details (EA or MCA), actual/ and amortized/ exports.",
            renames=AZURE_RENAMES,
            feeds=("actual", "amortized"),
            cost_column="CostInBillingCurrency",
            currency_columns=("BillingCurrency",),
            date_order="MDY",
            charge_in_period=("BillingPeriodStartDate", "Date"),
        ),
        Source(
            "gcp_billing",
            "gcp_billing_export",
            GCP_BILLING_COLUMNS,
            ("billing_account_id", "invoice_month"),
            "Google Cloud billing export (BigQuery rows as JSON lines).",
            cost_column="cost",
            currency_columns=("currency",),
        ),
        Source(
            "k8s_usage",
            "k8s_pod_usage",
            _cols(
                """
                usage_date:date! cluster_name:varchar! node_name:varchar!
                namespace:varchar! pod_name:varchar! pod_labels:json
                cpu_request_cores:double cpu_usage_cores:double
                memory_request_gib:double memory_usage_gib:double
                running_hours:double node_hourly_cost:money
                node_cpu_cores:double node_memory_gib:double
                """
            ),
            ("cluster_name", "usage_date"),
            "Kubernetes pod usage per day: requests, usage and node cost.",
            non_negative=(
                "cpu_request_cores",
                "cpu_usage_cores",
                "memory_request_gib",
                "memory_usage_gib",
                "running_hours",
                "node_hourly_cost",
                "node_cpu_cores",
                "node_memory_gib",
            ),
        ),
        Source(
            "business_metrics",
            "business_metrics",
            _cols(
                """
                metric_date:date! product:varchar! feature:varchar
                transactions:bigint active_users:bigint feature_usage_count:bigint
                """
            ),
            ("metric_date", "product"),
            "Daily transactions, active users and feature usage per product.",
            non_negative=("transactions", "active_users", "feature_usage_count"),
        ),
        Source(
            "ci_builds",
            "ci_builds",
            _cols(
                """
                build_id:varchar! pipeline:varchar team:varchar runner_type:varchar
                started_at:timestamp! duration_seconds:bigint billable_minutes:bigint
                status:varchar
                """
            ),
            ("build_id",),
            "CI pipeline runs: runner type, duration and billable minutes.",
            non_negative=("duration_seconds", "billable_minutes"),
        ),
        Source(
            "observability_usage",
            "observability_usage",
            _cols(
                """
                usage_date:date! service_name:varchar! team:varchar
                ingested_gb:double retention_days:integer
                indexed_events_millions:double
                """
            ),
            ("usage_date", "service_name"),
            "Observability ingest per service and day.",
            non_negative=("ingested_gb", "retention_days", "indexed_events_millions"),
        ),
        Source(
            "cloud_assets",
            "cloud_assets",
            _cols(
                """
                snapshot_date:date! provider_name:varchar! sub_account_id:varchar
                resource_id:varchar! resource_type:varchar state:varchar!
                attached_to:varchar
                """
            ),
            ("provider_name", "snapshot_date"),
            "Daily cloud inventory snapshots (volume state and attachment).",
        ),
        Source(
            "deployments",
            "deployments",
            _cols(
                """
                deploy_id:varchar! service_name:varchar! team:varchar
                environment:varchar version:varchar deployed_at:timestamp!
                """
            ),
            ("deploy_id",),
            "Deployments: which service, team, environment and version, and when.",
        ),
        Source(
            "invoices",
            "invoices",
            _cols(
                """
                invoice_id:varchar! provider_name:varchar! billing_account_id:varchar!
                billing_period_start:date! currency:varchar! invoice_total:money!
                status:varchar!
                """
            ),
            ("invoice_id",),
            "Provider invoice totals per billing account and month.",
            currency_columns=("currency",),
        ),
    ]
}

# The currency symbols the loader strips from amounts, and the currencies each may
# stand for: another row currency is a quarantine reason (ITFM-Q010).
CURRENCY_SYMBOLS = {
    symbol: tuple(codes.split())
    for symbol, codes in {
        "$": "USD CAD AUD NZD SGD HKD MXN ARS CLP COP TWD BRL FJD BSD BBD BMD BZD "
        "KYD LRD NAD SBD SRD TTD XCD JMD GYD UYU BND CUP DOP",
        "€": "EUR",
        "£": "GBP GIP FKP SHP EGP LBP SYP SSP SDG",
        "¥": "JPY CNY",
    }.items()
}

# A delivery removing more than this percentage of a loaded slice's rows is
# refused (ITFM-L009) unless --allow-row-drop; a restatement rarely halves a
# period, a truncated or partial export often does.
DEFAULT_MAX_ROW_DROP_PCT = 50.0

# ISO 4217 currency codes (active), for the unknown-currency check.
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
    BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
    IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
    SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
    """.split()  # noqa: SIM905 (a readable table of codes)
)
