{#-
    The normalized cost fact: one row per loaded billing line item, in FOCUS 1.2
    columns (snake_case), with normalized tags, lineage and reporting-currency
    amounts. Written once; everything downstream reads it.
    Incremental by billing period: a period any of whose rows was loaded after
    the newest load this table holds (a new or restated slice of any source) is
    rebuilt whole, from every source (delete + insert); other periods are not
    read or written. Edits to seeds that change past rows (charge types,
    services, exchange rates, tag keys) need `dbt build --full-refresh`.
-#}
-- depends_on: {{ ref('focus_allowed_values') }}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTEs.)
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_by_period('billing_period_start')
) }}

with

{% if is_incremental() -%}
changed_periods as (

    {{ periods_loaded_since_built(
        ref('int_billing_line_items'), 'billing_period_start'
    ) }}

),

{% endif -%}
line_items as (

    select all_line_items.*
    from {{ ref('int_billing_line_items') }} as all_line_items
    {%- if is_incremental() %}
        inner join changed_periods
            on
                all_line_items.billing_period_start
                = changed_periods.billing_period_start
    {%- endif %}

),

tag_sets as (

    select * from {{ ref('int_tag_sets_parsed') }}

),

exchange_rates as (

    select * from {{ ref('int_exchange_rates_daily') }}

),

line_items_enriched as (

    select
        line_items.*,
        tag_sets.x_tags,
        coalesce(tag_sets.x_tag_count, 0) as x_tag_count,
        coalesce(tag_sets.x_is_tags_valid, true) as x_is_tags_valid,
        coalesce(tag_sets.x_has_tag_key_collision, false)
            as x_has_tag_key_collision,
        '{{ var("reporting_currency") }}' as x_reporting_currency,
        {#- A rate the provider supplied on the row (USD per unit of the billing
            currency) wins over the exchange_rates seed. -#}
        case
            when line_items.billing_currency = '{{ var("reporting_currency") }}'
                then cast(1 as decimal(18, 8))
            when
                line_items.x_provider_usd_exchange_rate is not null
                and '{{ var("reporting_currency") }}' = 'USD'
                then cast(line_items.x_provider_usd_exchange_rate as decimal(18, 8))
            when line_items.x_provider_usd_exchange_rate is not null
                then cast(
                    line_items.x_provider_usd_exchange_rate * usd_rates.exchange_rate
                    as decimal(18, 8)
                )
            else exchange_rates.exchange_rate
        end as x_exchange_rate
    from line_items
    left join tag_sets
        on line_items.tags = tag_sets.tags
    left join exchange_rates
        on
            line_items.billing_currency = exchange_rates.from_currency
            and cast(line_items.charge_period_start as date)
            = exchange_rates.rate_date
    left join exchange_rates as usd_rates
        on
            line_items.x_provider_usd_exchange_rate is not null
            and usd_rates.from_currency = 'USD'
            and cast(line_items.charge_period_start as date) = usd_rates.rate_date

),

final as (

    select
        ---------- ids
        x_line_item_id,
        billing_account_id,
        sub_account_id,
        invoice_id,
        resource_id,
        sku_id,
        sku_price_id,
        commitment_discount_id,
        capacity_reservation_id,
        region_id,

        ---------- strings
        billing_account_name,
        billing_account_type,
        sub_account_name,
        sub_account_type,
        billing_currency,
        pricing_currency,
        provider_name,
        publisher_name,
        invoice_issuer_name,
        charge_category,
        charge_class,
        charge_description,
        charge_frequency,
        pricing_category,
        pricing_unit,
        consumed_unit,
        service_name,
        service_category,
        service_subcategory,
        region_name,
        availability_zone,
        resource_name,
        resource_type,
        sku_meter,
        sku_price_details,
        commitment_discount_category,
        commitment_discount_name,
        commitment_discount_status,
        commitment_discount_type,
        commitment_discount_unit,
        capacity_reservation_status,
        tags,
        x_tags,
        x_reporting_currency,
        x_source,
        x_feed,
        x_source_file,
        x_file_hash,
        x_load_id,
        x_focus_version,
        x_extra_columns,
        {{ data_quality_issues() }} as x_data_quality_issues,

        ---------- numerics
        billed_cost,
        effective_cost,
        list_cost,
        contracted_cost,
        pricing_currency_effective_cost,
        list_unit_price,
        contracted_unit_price,
        pricing_currency_list_unit_price,
        pricing_currency_contracted_unit_price,
        pricing_quantity,
        consumed_quantity,
        commitment_discount_quantity,
        x_amortized_upfront_cost,
        x_exchange_rate,
        cast(billed_cost * x_exchange_rate as {{ type_money() }})
            as x_billed_cost_reporting,
        cast(effective_cost * x_exchange_rate as {{ type_money() }})
            as x_effective_cost_reporting,
        x_tag_count,
        x_source_row,
        x_source_line,

        ---------- booleans
        x_is_tags_valid,

        ---------- timestamps
        billing_period_start,
        billing_period_end,
        charge_period_start,
        charge_period_end,
        x_loaded_at

    from line_items_enriched

)

select * from final
