-- noqa: disable=CP02
-- (The providers' CamelCase column names stay unquoted: a double-quoted name is
-- a string literal on Spark.)
-- depends_on: {{ ref('focus_allowed_values') }}

with

source as (

    select * from {{ source('focus', 'focus_line_items') }}

),

renamed as (

    select
        ---------- ids
        {{ line_item_key('x_source_file', 'x_source_row') }}
            as x_line_item_id,
        {{ clean_string('BillingAccountId') }} as billing_account_id,
        {{ clean_string('SubAccountId') }} as sub_account_id,
        {{ clean_string('InvoiceId') }} as invoice_id,
        {{ clean_string('ResourceId') }} as resource_id,
        {{ clean_string('SkuId') }} as sku_id,
        {{ clean_string('SkuPriceId') }} as sku_price_id,
        {{ clean_string('CommitmentDiscountId') }} as commitment_discount_id,
        {{ clean_string('CapacityReservationId') }} as capacity_reservation_id,
        {{ clean_string('RegionId') }} as region_id,

        ---------- strings
        {{ clean_string('BillingAccountName') }} as billing_account_name,
        {{ clean_string('BillingAccountType') }} as billing_account_type,
        {{ clean_string('SubAccountName') }} as sub_account_name,
        {{ clean_string('SubAccountType') }} as sub_account_type,
        upper({{ clean_string('BillingCurrency') }}) as billing_currency,
        upper({{ clean_string('PricingCurrency') }}) as pricing_currency,
        {{ clean_string('ProviderName') }} as provider_name,
        {{ clean_string('PublisherName') }} as publisher_name,
        {{ clean_string('InvoiceIssuerName') }} as invoice_issuer_name,
        {{ normalize_allowed_value('ChargeCategory', 'charge_category') }}
            as charge_category,
        {{ normalize_allowed_value('ChargeClass', 'charge_class') }} as charge_class,
        {{ clean_string('ChargeDescription') }} as charge_description,
        {{ normalize_allowed_value('ChargeFrequency', 'charge_frequency') }}
            as charge_frequency,
        {{ normalize_allowed_value('PricingCategory', 'pricing_category') }}
            as pricing_category,
        {{ clean_string('PricingUnit') }} as pricing_unit,
        {{ clean_string('ConsumedUnit') }} as consumed_unit,
        {{ clean_string('ServiceName') }} as service_name,
        {{ normalize_allowed_value('ServiceCategory', 'service_category') }}
            as service_category,
        {{ clean_string('ServiceSubcategory') }} as service_subcategory,
        {{ clean_string('RegionName') }} as region_name,
        {{ clean_string('AvailabilityZone') }} as availability_zone,
        {{ clean_string('ResourceName') }} as resource_name,
        {{ clean_string('ResourceType') }} as resource_type,
        {{ clean_string('SkuMeter') }} as sku_meter,
        {{ clean_string('SkuPriceDetails') }} as sku_price_details,
        {{ normalize_allowed_value(
            'CommitmentDiscountCategory', 'commitment_discount_category'
        ) }} as commitment_discount_category,
        {{ clean_string('CommitmentDiscountName') }} as commitment_discount_name,
        {{ normalize_allowed_value(
            'CommitmentDiscountStatus', 'commitment_discount_status'
        ) }} as commitment_discount_status,
        {{ clean_string('CommitmentDiscountType') }} as commitment_discount_type,
        {{ clean_string('CommitmentDiscountUnit') }} as commitment_discount_unit,
        {{ normalize_allowed_value(
            'CapacityReservationStatus', 'capacity_reservation_status'
        ) }} as capacity_reservation_status,
        {{ clean_string('Tags') }} as tags,
        x_source,
        x_feed,
        x_source_file,
        x_file_hash,
        x_load_id,
        x_focus_version,
        x_extra_columns,

        ---------- numerics
        BilledCost as billed_cost,
        EffectiveCost as effective_cost,
        ListCost as list_cost,
        ContractedCost as contracted_cost,
        PricingCurrencyEffectiveCost as pricing_currency_effective_cost,
        ListUnitPrice as list_unit_price,
        ContractedUnitPrice as contracted_unit_price,
        PricingCurrencyListUnitPrice as pricing_currency_list_unit_price,
        PricingCurrencyContractedUnitPrice
            as pricing_currency_contracted_unit_price,
        PricingQuantity as pricing_quantity,
        ConsumedQuantity as consumed_quantity,
        CommitmentDiscountQuantity as commitment_discount_quantity,
        cast(null as decimal(38, 10)) as x_provider_usd_exchange_rate,
        cast(null as {{ type_money() }}) as x_amortized_upfront_cost,
        x_source_row,
        x_source_line,

        ---------- timestamps
        BillingPeriodStart as billing_period_start,
        BillingPeriodEnd as billing_period_end,
        ChargePeriodStart as charge_period_start,
        ChargePeriodEnd as charge_period_end,
        x_loaded_at

    from source

)

select * from renamed
