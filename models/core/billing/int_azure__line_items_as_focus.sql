-- noqa: disable=CP02
-- (The providers' CamelCase column names stay unquoted: a double-quoted name is
-- a string literal on Spark.)
{#
    Azure cost details in the FOCUS 1.2 columns of stg_focus__line_items.
    Azure delivers two exports of the same charges: actual cost (what the
    invoice bills) and amortized cost (commitment purchases spread onto the
    usage they cover, unused commitment as its own rows). A row of each is
    paired on (billing account, period, date, subscription, resource, meter,
    charge type, pricing model, commitment, quantity) and its order among equal
    keys; then
    * billed cost = the actual export's cost (0 for a row only the amortized
      export has: unused reservation or savings plan);
    * effective cost = the amortized export's cost (0 for a row only the actual
      export has: the commitment purchase, spread onto usage instead).
    A billing period without an amortized export: effective cost = billed
    cost. A period with only an amortized export: billed cost = its cost for
    on-demand charges, 0 for commitment-covered and unused rows (purchases are
    then missing, and the invoice reconciliation shows it).
    Tags: EA writes the JSON object without its outer braces; they are added.
-#}
{#- Columns taken from the actual row when there is one, else the amortized:
    (raw column, name). -#}
{%- set paired_columns = [
    ('x_source_file', 'x_source_file'),
    ('x_source_row', 'x_source_row'),
    ('x_source_line', 'x_source_line'),
    ('x_source', 'x_source'),
    ('x_feed', 'x_feed'),
    ('x_file_hash', 'x_file_hash'),
    ('x_load_id', 'x_load_id'),
    ('x_extra_columns', 'x_extra_columns'),
    ('BillingAccountId', 'billing_account_id'),
    ('BillingAccountName', 'billing_account_name'),
    ('BillingPeriodStartDate', 'billing_period_start_date'),
    ('BillingPeriodEndDate', 'billing_period_end_date'),
    ('InvoiceId', 'invoice_id'),
    ('SubscriptionId', 'subscription_id'),
    ('SubscriptionName', 'subscription_name'),
    ('BillingCurrency', 'billing_currency'),
    ('PricingCurrency', 'pricing_currency'),
    ('PublisherName', 'publisher_name'),
    ('ChargeType', 'charge_type'),
    ('Frequency', 'frequency'),
    ('PricingModel', 'pricing_model'),
    ('Product', 'product'),
    ('MeterId', 'meter_id'),
    ('MeterName', 'meter_name'),
    ('MeterCategory', 'meter_category'),
    ('MeterRegion', 'meter_region'),
    ('ConsumedService', 'consumed_service'),
    ('ResourceLocation', 'resource_location'),
    ('AvailabilityZone', 'availability_zone'),
    ('ResourceId', 'resource_id'),
    ('ResourceName', 'resource_name'),
    ('PartNumber', 'part_number'),
    ('UnitOfMeasure', 'unit_of_measure'),
    ('Tags', 'tags_text'),
    ('Quantity', 'quantity'),
    ('PayGPrice', 'payg_price'),
    ('UnitPrice', 'unit_price'),
    ('PaygCostInBillingCurrency', 'payg_cost'),
    ('Date', 'charge_date')
] -%}

with

source as (

    select * from {{ ref('stg_azure__cost_details') }}

),

charge_types as (

    select * from {{ ref('native_charge_types') }}
    where billing_source = 'azure_cost'

),

services as (

    select * from {{ ref('native_services') }}
    where billing_source = 'azure_cost'

),

toolkit_services as (

    select
        lower(ConsumedService) as consumed_service,
        lower(ResourceType) as resource_type,
        ServiceName as service_name,
        ServiceCategory as service_category,
        ServiceSubcategory as service_subcategory
    from {{ ref('finops_toolkit_services') }}

),

keyed as (

    select
        source.*,
        concat_ws(
            '|',
            coalesce(source.BillingAccountId, ''),
            coalesce(cast(source.BillingPeriodStartDate as string), ''),
            coalesce(cast(source.Date as string), ''),
            coalesce(source.SubscriptionId, ''),
            coalesce(lower(source.ResourceId), ''),
            coalesce(source.MeterId, ''),
            coalesce(source.ChargeType, ''),
            coalesce(source.PricingModel, ''),
            coalesce(source.BenefitId, source.ReservationId, ''),
            coalesce(cast(source.Quantity as string), '')
        ) as x_match_key
    from source

),

numbered as (

    select
        keyed.*,
        row_number() over (
            partition by keyed.x_feed, keyed.x_match_key
            order by keyed.x_source_file, keyed.x_source_row
        ) as x_match_ordinal
    from keyed

),

actual as (

    select * from numbered
    where x_feed = 'actual'

),

amortized as (

    select * from numbered
    where x_feed = 'amortized'

),

slices as (

    select
        BillingAccountId as billing_account_id,
        BillingPeriodStartDate as billing_period_start_date,
        max(case when x_feed = 'actual' then 1 else 0 end) as has_actual,
        max(case when x_feed = 'amortized' then 1 else 0 end) as has_amortized
    from source
    group by 1, 2

),

paired as (

    {#- Attributes from the actual row when there is one, else the amortized. -#}
    select
        {% for column, name in paired_columns -%}
            coalesce(actual.{{ column }}, amortized.{{ column }}) as {{ name }},
        {% endfor -%}
        {#- The later load of the pair: a re-delivered amortized export alone
            marks its billing period as changed. -#}
        greatest(actual.x_loaded_at, amortized.x_loaded_at) as x_loaded_at,
        nullif(lower(regexp_extract(
            coalesce(actual.ResourceId, amortized.ResourceId),
            '/providers/([^/]+/[^/]+)', 1
        )), '') as arm_resource_type,
        coalesce(
            actual.BenefitId, actual.ReservationId,
            amortized.BenefitId, amortized.ReservationId
        ) as commitment_id,
        coalesce(
            actual.BenefitName, actual.ReservationName,
            amortized.BenefitName, amortized.ReservationName
        ) as commitment_name,
        actual.CostInBillingCurrency as actual_cost,
        amortized.CostInBillingCurrency as amortized_cost,
        actual.x_source_row is not null as is_in_actual,
        amortized.x_source_row is not null as is_in_amortized
    from actual
    full outer join amortized
        on
            actual.x_match_key = amortized.x_match_key
            and actual.x_match_ordinal = amortized.x_match_ordinal

),

costed as (

    select
        paired.*,
        coalesce(slices.has_actual, 0) = 1 as has_actual_export,
        coalesce(slices.has_amortized, 0) = 1 as has_amortized_export,
        case
            when paired.is_in_actual then paired.actual_cost
            when slices.has_actual = 1 then 0
            when
                paired.charge_type in ('UnusedReservation', 'UnusedSavingsPlan')
                or paired.pricing_model in ('Reservation', 'SavingsPlan')
                then 0
            else paired.amortized_cost
        end as billed_cost,
        case
            when paired.is_in_amortized then paired.amortized_cost
            when slices.has_amortized = 1 then 0
            else paired.actual_cost
        end as effective_cost
    from paired
    left join slices
        on
            paired.billing_account_id = slices.billing_account_id
            and paired.billing_period_start_date = slices.billing_period_start_date

),

mapped as (

    select
        ---------- columns this export does not have
        {{ absent_billing_columns([
            'capacity_reservation_id', 'sku_price_details', 'commitment_discount_unit',
            'capacity_reservation_status', 'x_focus_version',
            'pricing_currency_effective_cost', 'pricing_currency_list_unit_price',
            'pricing_currency_contracted_unit_price', 'commitment_discount_quantity',
            'x_provider_usd_exchange_rate', 'x_amortized_upfront_cost'
        ]) }},

        ---------- ids
        {{ line_item_key('costed.x_source_file', 'costed.x_source_row') }}
            as x_line_item_id,
        {{ clean_string('costed.billing_account_id') }} as billing_account_id,
        {{ clean_string('costed.subscription_id') }} as sub_account_id,
        {{ clean_string('costed.invoice_id') }} as invoice_id,
        {{ clean_string('costed.resource_id') }} as resource_id,
        {{ clean_string('costed.part_number') }} as sku_id,
        {{ clean_string('costed.meter_id') }} as sku_price_id,
        {{ clean_string('costed.commitment_id') }} as commitment_discount_id,
        lower({{ clean_string('costed.resource_location') }}) as region_id,

        ---------- strings
        {{ clean_string('costed.billing_account_name') }} as billing_account_name,
        'Billing Account' as billing_account_type,
        {{ clean_string('costed.subscription_name') }} as sub_account_name,
        'Subscription' as sub_account_type,
        upper({{ clean_string('costed.billing_currency') }}) as billing_currency,
        upper({{ clean_string('costed.pricing_currency') }}) as pricing_currency,
        'Microsoft' as provider_name,
        coalesce({{ clean_string('costed.publisher_name') }}, 'Microsoft')
            as publisher_name,
        'Microsoft' as invoice_issuer_name,
        coalesce(charge_types.charge_category, 'Usage') as charge_category,
        case
            when costed.charge_date < costed.billing_period_start_date
                then 'Correction'
        end as charge_class,
        coalesce(
            {{ clean_string('costed.product') }},
            {{ clean_string('costed.meter_name') }}
        ) as charge_description,
        case lower(costed.frequency)
            when 'usagebased' then 'Usage-Based'
            when 'recurring' then 'Recurring'
            when 'onetime' then 'One-Time'
            else coalesce(charge_types.charge_frequency, 'Usage-Based')
        end as charge_frequency,
        case
            when charge_types.charge_category = 'Purchase' then 'Standard'
            when coalesce(charge_types.charge_category, 'Usage') != 'Usage' then null
            when charge_types.commitment_discount_status is not null then 'Committed'
            when costed.pricing_model in ('Reservation', 'SavingsPlan')
                then 'Committed'
            when costed.pricing_model = 'Spot' then 'Dynamic'
            else 'Standard'
        end as pricing_category,
        {{ clean_string('costed.unit_of_measure') }} as pricing_unit,
        {{ clean_string('costed.unit_of_measure') }} as consumed_unit,
        coalesce(
            toolkit_services.service_name,
            services.service_name,
            {{ clean_string('costed.meter_category') }},
            {{ clean_string('costed.consumed_service') }},
            'Azure'
        ) as service_name,
        coalesce(
            toolkit_services.service_category, services.service_category, 'Other'
        ) as service_category,
        coalesce(
            toolkit_services.service_subcategory, services.service_subcategory
        ) as service_subcategory,
        {{ clean_string('costed.meter_region') }} as region_name,
        {{ clean_string('costed.availability_zone') }} as availability_zone,
        {{ clean_string('costed.resource_name') }} as resource_name,
        costed.arm_resource_type as resource_type,
        {{ clean_string('costed.meter_name') }} as sku_meter,
        case
            when {{ clean_string('costed.commitment_id') }} is null then null
            when
                costed.pricing_model = 'SavingsPlan'
                or costed.charge_type = 'UnusedSavingsPlan' then 'Spend'
            else 'Usage'
        end as commitment_discount_category,
        {{ clean_string('costed.commitment_name') }} as commitment_discount_name,
        case
            when charge_types.commitment_discount_status is not null
                then charge_types.commitment_discount_status
            when
                coalesce(charge_types.charge_category, 'Usage') = 'Usage'
                and costed.pricing_model in ('Reservation', 'SavingsPlan')
                then 'Used'
        end as commitment_discount_status,
        case
            when {{ clean_string('costed.commitment_id') }} is null then null
            when
                costed.pricing_model = 'SavingsPlan'
                or costed.charge_type = 'UnusedSavingsPlan' then 'Savings Plan'
            else 'Reservation'
        end as commitment_discount_type,
        case
            when {{ clean_string('costed.tags_text') }} is null then null
            when left(trim(costed.tags_text), 1) = '{' then trim(costed.tags_text)
            else '{' || trim(costed.tags_text) || '}'
        end as tags,
        costed.x_source,
        costed.x_feed,
        costed.x_source_file,
        costed.x_file_hash,
        costed.x_load_id,
        costed.x_extra_columns,

        ---------- numerics
        cast(costed.billed_cost as {{ type_money() }}) as billed_cost,
        cast(costed.effective_cost as {{ type_money() }}) as effective_cost,
        cast(coalesce(
            costed.payg_cost,
            cast(costed.payg_price as decimal(28, 12))
            * cast(costed.quantity as decimal(28, 10))
        ) as {{ type_money() }}) as list_cost,
        cast(
            cast(costed.unit_price as decimal(28, 12))
            * cast(costed.quantity as decimal(28, 10))
            as {{ type_money() }}
        ) as contracted_cost,
        costed.payg_price as list_unit_price,
        costed.unit_price as contracted_unit_price,
        costed.quantity as pricing_quantity,
        costed.quantity as consumed_quantity,
        costed.x_source_row,
        costed.x_source_line,

        ---------- timestamps
        cast(costed.billing_period_start_date as timestamp) as billing_period_start,
        cast(coalesce(
            {{ dbt.dateadd('day', 1, 'costed.billing_period_end_date') }},
            {{ dbt.dateadd('month', 1, 'costed.billing_period_start_date') }}
        ) as timestamp) as billing_period_end,
        cast(costed.charge_date as timestamp) as charge_period_start,
        cast({{ dbt.dateadd('day', 1, 'costed.charge_date') }} as timestamp)
            as charge_period_end,
        costed.x_loaded_at

    from costed
    left join charge_types
        on costed.charge_type = charge_types.native_type
    left join toolkit_services
        on
            lower(costed.consumed_service) = toolkit_services.consumed_service
            and costed.arm_resource_type = toolkit_services.resource_type
    left join services
        on costed.meter_category = services.service_key

)

select {{ billing_line_item_columns() | join(', ') }} from mapped
