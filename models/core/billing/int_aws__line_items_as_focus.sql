{#-
    AWS CUR 2.0 line items in the FOCUS 1.2 columns of stg_focus__line_items.
    The line item type decides the charge (seed native_charge_types) and the
    costs, following AWS's definitions:
    * billed cost is the unblended cost, except savings-plan covered usage,
      whose unblended (on-demand) cost its SavingsPlanNegation line cancels:
      it is billed 0 and the negation line is folded into it (not a row);
    * effective cost is the amortized cost: the savings plan or reservation
      effective cost of covered usage, 0 for commitment fees, the unblended
      cost otherwise;
    * the unused part of a recurring commitment fee (savings plan commitment
      minus used commitment, reservation unused fees) becomes its own Usage row
      with status Unused, so covered + unused effective cost = the fees.
    A line whose usage started before its billing period is a Correction.
-#}
with

source as (

    select * from {{ ref('stg_aws__cur_line_items') }}

),

charge_types as (

    select * from {{ ref('native_charge_types') }}
    where billing_source = 'aws_cur'

),

services as (

    select * from {{ ref('native_services') }}
    where billing_source = 'aws_cur'

),

line_items as (

    select
        source.*,
        {{ clean_string('source.line_item_line_item_type') }} as line_item_type,
        coalesce(
            {{ clean_string('source.savings_plan_savings_plan_a_r_n') }},
            {{ clean_string('source.reservation_reservation_a_r_n') }}
        ) as x_commitment_arn,
        coalesce(
            source.reservation_unused_amortized_upfront_fee_for_billing_period, 0
        )
        + coalesce(source.reservation_unused_recurring_fee, 0)
            as x_reservation_unused_cost
    from source
    where source.line_item_line_item_type != 'SavingsPlanNegation'

),

mapped as (

    select
        ---------- columns this export does not have
        {{ absent_billing_columns([
            'sku_price_id', 'capacity_reservation_id', 'sku_price_details',
            'commitment_discount_unit', 'capacity_reservation_status',
            'x_focus_version', 'pricing_currency_effective_cost',
            'pricing_currency_list_unit_price',
            'pricing_currency_contracted_unit_price', 'commitment_discount_quantity',
            'x_provider_usd_exchange_rate'
        ]) }},

        ---------- ids
        {{ line_item_key('line_items.x_source_file', 'line_items.x_source_row') }}
            as x_line_item_id,
        {{ clean_string('line_items.bill_payer_account_id') }} as billing_account_id,
        {{ clean_string('line_items.line_item_usage_account_id') }} as sub_account_id,
        {{ clean_string('line_items.bill_invoice_id') }} as invoice_id,
        {{ clean_string('line_items.line_item_resource_id') }} as resource_id,
        {{ clean_string('line_items.product_sku') }} as sku_id,
        line_items.x_commitment_arn as commitment_discount_id,
        {{ clean_string('line_items.product_region_code') }} as region_id,

        ---------- strings
        {{ clean_string('line_items.bill_payer_account_name') }}
            as billing_account_name,
        'Billing Account' as billing_account_type,
        {{ clean_string('line_items.line_item_usage_account_name') }}
            as sub_account_name,
        'Linked Account' as sub_account_type,
        upper({{ clean_string('line_items.line_item_currency_code') }})
            as billing_currency,
        upper({{ clean_string('line_items.pricing_currency') }}) as pricing_currency,
        'AWS' as provider_name,
        case
            when line_items.bill_billing_entity = 'AWS Marketplace'
                then 'AWS Marketplace'
            else 'AWS'
        end as publisher_name,
        coalesce(
            {{ clean_string('line_items.bill_invoicing_entity') }}, 'AWS'
        ) as invoice_issuer_name,
        coalesce(charge_types.charge_category, 'Usage') as charge_category,
        case
            when
                line_items.line_item_usage_start_date
                < line_items.bill_billing_period_start_date
                then 'Correction'
        end as charge_class,
        {{ clean_string('line_items.line_item_line_item_description') }}
            as charge_description,
        coalesce(charge_types.charge_frequency, 'Usage-Based') as charge_frequency,
        case
            when charge_types.commitment_discount_status is not null
                then 'Committed'
            when line_items.pricing_term = 'Spot' then 'Dynamic'
            when
                coalesce(charge_types.charge_category, 'Usage') in ('Usage', 'Purchase')
                then 'Standard'
        end as pricing_category,
        {{ clean_string('line_items.pricing_unit') }} as pricing_unit,
        {{ clean_string('line_items.pricing_unit') }} as consumed_unit,
        coalesce(
            family_services.service_name,
            code_services.service_name,
            {{ clean_string('line_items.line_item_product_code') }},
            'AWS'
        ) as service_name,
        coalesce(
            family_services.service_category, code_services.service_category, 'Other'
        ) as service_category,
        coalesce(
            family_services.service_subcategory, code_services.service_subcategory
        ) as service_subcategory,
        {{ clean_string('line_items.product_location') }} as region_name,
        {{ clean_string('line_items.line_item_availability_zone') }}
            as availability_zone,
        regexp_extract(line_items.line_item_resource_id, '[^:/]+$', 0)
            as resource_name,
        case
            when line_items.line_item_resource_id is not null
                then {{ clean_string('line_items.product_product_family') }}
        end as resource_type,
        {{ clean_string('line_items.line_item_usage_type') }} as sku_meter,
        case
            when line_items.savings_plan_savings_plan_a_r_n is not null then 'Spend'
            when line_items.reservation_reservation_a_r_n is not null then 'Usage'
        end as commitment_discount_category,
        regexp_extract(line_items.x_commitment_arn, '[^:/]+$', 0)
            as commitment_discount_name,
        charge_types.commitment_discount_status,
        case
            when line_items.savings_plan_savings_plan_a_r_n is not null
                then 'Savings Plan'
            when line_items.reservation_reservation_a_r_n is not null
                then 'Reservation'
        end as commitment_discount_type,
        case
            when line_items.resource_tags != '{}' then line_items.resource_tags
        end as tags,
        line_items.x_source,
        line_items.x_feed,
        line_items.x_source_file,
        line_items.x_file_hash,
        line_items.x_load_id,
        line_items.x_extra_columns,

        ---------- numerics
        cast(case
            when line_items.line_item_type = 'SavingsPlanCoveredUsage' then 0
            else line_items.line_item_unblended_cost
        end as {{ type_money() }}) as billed_cost,
        cast(case
            when line_items.line_item_type = 'SavingsPlanCoveredUsage'
                then line_items.savings_plan_savings_plan_effective_cost
            when line_items.line_item_type = 'DiscountedUsage'
                then line_items.reservation_effective_cost
            when line_items.line_item_type in (
                'SavingsPlanRecurringFee', 'SavingsPlanUpfrontFee', 'RIFee'
            ) then 0
            when
                line_items.line_item_type = 'Fee'
                and line_items.x_commitment_arn is not null
                then 0
            else line_items.line_item_unblended_cost
        end as {{ type_money() }}) as effective_cost,
        cast(case
            when
                line_items.line_item_type in (
                    'Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'
                )
                then coalesce(
                    line_items.pricing_public_on_demand_cost,
                    line_items.line_item_unblended_cost
                )
            else line_items.line_item_unblended_cost
        end as {{ type_money() }}) as list_cost,
        cast(case
            when line_items.line_item_type = 'DiscountedUsage'
                then line_items.pricing_public_on_demand_cost
            else line_items.line_item_unblended_cost
        end as {{ type_money() }}) as contracted_cost,
        line_items.pricing_public_on_demand_rate as list_unit_price,
        line_items.line_item_unblended_rate as contracted_unit_price,
        line_items.line_item_usage_amount as pricing_quantity,
        line_items.line_item_usage_amount as consumed_quantity,
        {#- The upfront payment amortized into this period, as the fee line
            states it (also for commitments bought before the data starts). -#}
        cast(case
            when line_items.line_item_type = 'RIFee'
                then line_items.reservation_amortized_upfront_fee_for_billing_period
            when line_items.line_item_type = 'SavingsPlanRecurringFee'
                then line_items.savings_plan_amortized_upfront_commitment_for_billing_period -- noqa: LT05
        end as {{ type_money() }}) as x_amortized_upfront_cost,
        line_items.x_source_row,
        line_items.x_source_line,

        ---------- timestamps
        line_items.bill_billing_period_start_date as billing_period_start,
        line_items.bill_billing_period_end_date as billing_period_end,
        line_items.line_item_usage_start_date as charge_period_start,
        coalesce(
            line_items.line_item_usage_end_date,
            line_items.line_item_usage_start_date
        ) as charge_period_end,
        line_items.x_loaded_at,

        ---------- kept for the unused-commitment rows
        line_items.line_item_type as x_line_item_type,
        cast(case
            when line_items.line_item_type = 'SavingsPlanRecurringFee'
                then
                    line_items.savings_plan_total_commitment_to_date
                    - line_items.savings_plan_used_commitment
            when line_items.line_item_type = 'RIFee'
                then line_items.x_reservation_unused_cost
            else 0
        end as {{ type_money() }}) as x_unused_commitment_cost

    from line_items
    left join charge_types
        on line_items.line_item_type = charge_types.native_type
    left join services as family_services
        on
            line_items.line_item_product_code
            || '|'
            || line_items.product_product_family
            = family_services.service_key
    left join services as code_services
        on line_items.line_item_product_code = code_services.service_key

),

unused_commitments as (

    {#- One Usage row per recurring fee with an unused part: billed 0, the
        unused commitment as effective (and list and contracted) cost. -#}
    select
        {{ billing_line_item_select({
            'x_line_item_id': line_item_key(
                'x_source_file', 'x_source_row', "'unused'"
            ),
            'charge_category': "'Usage'",
            'charge_description': "'Unused commitment'",
            'charge_frequency': "'Usage-Based'",
            'pricing_category': "'Committed'",
            'commitment_discount_status': "'Unused'",
            'billed_cost': 'cast(0 as ' ~ type_money() ~ ')',
            'effective_cost': 'x_unused_commitment_cost',
            'list_cost': 'x_unused_commitment_cost',
            'contracted_cost': 'x_unused_commitment_cost',
            'x_amortized_upfront_cost': 'cast(null as ' ~ type_money() ~ ')',
        }) }}
    from mapped
    where
        x_line_item_type in ('SavingsPlanRecurringFee', 'RIFee')
        and x_unused_commitment_cost > 0

),

final as (

    select {{ billing_line_item_columns() | join(', ') }} from mapped
    union all
    select {{ billing_line_item_columns() | join(', ') }} from unused_commitments

)

select * from final
