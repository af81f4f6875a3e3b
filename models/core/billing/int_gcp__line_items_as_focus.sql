{#-
    Google Cloud billing export rows in the FOCUS 1.2 columns of
    stg_focus__line_items. Billed and effective cost are the row's `cost`;
    each entry of its `credits` array becomes a Credit row of its own (same
    resource, project, labels and SKU, so credits follow their usage into
    attribution), so the billed cost of an invoice month is cost + credits,
    the export's own net cost. List cost is `cost_at_list`. The export's
    `currency_conversion_rate` (billing currency per USD) is kept as the
    provider's exchange rate, which wins over the exchange_rates seed.
    Labels (an array of key/value pairs) become a JSON object once per
    distinct label string. A row whose usage started before its invoice month
    (an adjustment of earlier usage) is a Correction; the invoice month runs on
    Pacific time, later than UTC, so no current usage is mistaken for one.
-#}
{%- set invoice_month_start -%}
    cast({{ dbt.concat([
        "substr(source.invoice_month, 1, 4)", "'-'",
        "substr(source.invoice_month, 5, 2)", "'-01'"
    ]) }} as date)
{%- endset -%}

with

source as (

    select * from {{ ref('stg_gcp__billing_line_items') }}

),

charge_types as (

    select * from {{ ref('native_charge_types') }}
    where billing_source = 'gcp_billing'

),

services as (

    select * from {{ ref('native_services') }}
    where billing_source = 'gcp_billing'

),

label_strings as (

    select distinct labels
    from source
    where labels is not null and labels != '[]'

),

label_entries as (

    select
        label_strings.labels,
        {{ unnest_json_array('label_strings.labels', ['key', 'value']) }} as entry
    from label_strings

),

label_pairs as (

    {#- A key repeated in one label array keeps its smallest value. -#}
    select
        label_entries.labels,
        label_entries.entry.key as label_key,
        min(label_entries.entry.value) as label_value
    from label_entries
    where label_entries.entry.key is not null
    group by 1, 2

),

label_objects as (

    select
        labels,
        {{ json_object_agg('label_key', 'label_value') }} as tags
    from label_pairs
    group by 1

),

rows_mapped as (

    select
        ---------- columns this export does not have
        {{ absent_billing_columns([
            'sku_price_id', 'commitment_discount_id', 'capacity_reservation_id',
            'sku_price_details', 'commitment_discount_category',
            'commitment_discount_name', 'commitment_discount_status',
            'commitment_discount_type', 'commitment_discount_unit',
            'capacity_reservation_status', 'x_focus_version',
            'pricing_currency_effective_cost', 'list_unit_price',
            'pricing_currency_list_unit_price',
            'pricing_currency_contracted_unit_price', 'commitment_discount_quantity',
            'x_amortized_upfront_cost'
        ]) }},

        ---------- ids
        {{ line_item_key('source.x_source_file', 'source.x_source_row') }}
            as x_line_item_id,
        {{ clean_string('source.billing_account_id') }} as billing_account_id,
        {{ clean_string('source.project_id') }} as sub_account_id,
        {#- Google Cloud invoices a billing account once per invoice month; the
            export names the month (YYYYMM), not the invoice's number. -#}
        {{ clean_string('source.invoice_month') }} as invoice_id,
        coalesce(
            {{ clean_string('source.resource_global_name') }},
            {{ clean_string('source.resource_name') }}
        ) as resource_id,
        {{ clean_string('source.sku_id') }} as sku_id,
        {{ clean_string('source.location_region') }} as region_id,

        ---------- strings
        {{ clean_string('source.billing_account_id') }} as billing_account_name,
        'Billing Account' as billing_account_type,
        {{ clean_string('source.project_name') }} as sub_account_name,
        'Project' as sub_account_type,
        upper({{ clean_string('source.currency') }}) as billing_currency,
        upper({{ clean_string('source.currency') }}) as pricing_currency,
        'Google Cloud' as provider_name,
        coalesce({{ clean_string('source.seller_name') }}, 'Google Cloud')
            as publisher_name,
        'Google Cloud' as invoice_issuer_name,
        coalesce(charge_types.charge_category, 'Usage') as charge_category,
        case
            when
                source.usage_start_time
                < cast({{ invoice_month_start }} as timestamp)
                then 'Correction'
        end as charge_class,
        {{ clean_string('source.sku_description') }} as charge_description,
        coalesce(charge_types.charge_frequency, 'Usage-Based') as charge_frequency,
        case
            when coalesce(charge_types.charge_category, 'Usage') = 'Usage'
                then 'Standard'
        end as pricing_category,
        {{ clean_string('source.usage_pricing_unit') }} as pricing_unit,
        {{ clean_string('source.usage_unit') }} as consumed_unit,
        coalesce(
            services.service_name,
            {{ clean_string('source.service_description') }},
            'Google Cloud'
        ) as service_name,
        coalesce(services.service_category, 'Other') as service_category,
        services.service_subcategory,
        {{ clean_string('source.location_region') }} as region_name,
        {{ clean_string('source.location_zone') }} as availability_zone,
        {{ clean_string('source.resource_name') }} as resource_name,
        {#- The collection of a full resource name
            (//compute.googleapis.com/projects/p/zones/z/instances/i:
            compute.googleapis.com/instances); null for other names. -#}
        nullif(
            regexp_extract(
                source.resource_global_name,
                '^//([^/]+)/(?:[^/]+/[^/]+/)*([^/]+)/[^/]+$', 1
            )
            || '/'
            || regexp_extract(
                source.resource_global_name,
                '^//([^/]+)/(?:[^/]+/[^/]+/)*([^/]+)/[^/]+$', 2
            ),
            '/'
        ) as resource_type,
        {{ clean_string('source.sku_description') }} as sku_meter,
        label_objects.tags,
        source.x_source,
        source.x_feed,
        source.x_source_file,
        source.x_file_hash,
        source.x_load_id,
        source.x_extra_columns,

        ---------- numerics
        cast(source.cost as {{ type_money() }}) as billed_cost,
        cast(source.cost as {{ type_money() }}) as effective_cost,
        cast(coalesce(source.cost_at_list, source.cost) as {{ type_money() }})
            as list_cost,
        cast(source.cost as {{ type_money() }}) as contracted_cost,
        source.price_effective_price as contracted_unit_price,
        source.usage_amount_in_pricing_units as pricing_quantity,
        source.usage_amount as consumed_quantity,
        cast(
            case
                when source.currency_conversion_rate > 0
                    then 1 / cast(source.currency_conversion_rate as double)
            end as decimal(38, 10)
        ) as x_provider_usd_exchange_rate,
        source.x_source_row,
        source.x_source_line,

        ---------- timestamps
        cast({{ invoice_month_start }} as timestamp) as billing_period_start,
        cast({{ dbt.dateadd('month', 1, invoice_month_start) }} as timestamp)
            as billing_period_end,
        source.usage_start_time as charge_period_start,
        coalesce(source.usage_end_time, source.usage_start_time)
            as charge_period_end,
        source.x_loaded_at,

        ---------- kept for the credit rows
        source.credits as x_credits

    from source
    left join charge_types
        on coalesce(source.cost_type, 'regular') = charge_types.native_type
    left join services
        on source.service_id = services.service_key
    left join label_objects
        on source.labels = label_objects.labels

),

credit_entries as (

    select
        rows_mapped.*,
        {{ unnest_json_array(
            'rows_mapped.x_credits', ['name', 'amount', 'full_name', 'id', 'type']
        ) }} as credit
    from rows_mapped
    where rows_mapped.x_credits is not null and rows_mapped.x_credits != '[]'

),

credit_rows as (

    select
        credit_entries.*,
        credit_entries.credit.amount as credit_amount,
        coalesce(
            credit_entries.credit.full_name,
            credit_entries.credit.name,
            credit_entries.credit.type
        ) as credit_description,
        row_number() over (
            partition by credit_entries.x_source_file, credit_entries.x_source_row
            order by credit_entries.credit.id, credit_entries.credit.name
        ) as credit_ordinal
    from credit_entries

),

credits_mapped as (

    select
        {{ billing_line_item_select({
            'x_line_item_id': line_item_key(
                'x_source_file', 'x_source_row',
                "'credit:' || cast(credit_ordinal as string)"
            ),
            'charge_category': "'Credit'",
            'charge_description': 'credit_description',
            'charge_frequency': "'Usage-Based'",
            'pricing_category': 'cast(null as string)',
            'billed_cost': 'cast(credit_amount as ' ~ type_money() ~ ')',
            'effective_cost': 'cast(credit_amount as ' ~ type_money() ~ ')',
            'list_cost': 'cast(credit_amount as ' ~ type_money() ~ ')',
            'contracted_cost': 'cast(credit_amount as ' ~ type_money() ~ ')',
            'contracted_unit_price': 'cast(null as decimal(38, 16))',
            'pricing_quantity': 'cast(null as decimal(38, 10))',
            'consumed_quantity': 'cast(null as decimal(38, 10))',
        }) }}
    from credit_rows

),

final as (

    select {{ billing_line_item_columns() | join(', ') }} from rows_mapped
    union all
    select {{ billing_line_item_columns() | join(', ') }} from credits_mapped

)

select * from final
