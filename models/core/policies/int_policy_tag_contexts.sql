{#- The tag policies check each distinct (tags, environment, owner) context of
    usage with a resource once, not each line item: one row per context and
    charge month it occurs in. A table, incremental by charge month like
    int_policy_resource_days (a month whose policy inputs were loaded since it
    was built, or that is new, is rebuilt whole), so that a build does not
    group the whole history's usage line items again: the policies read the
    distinct contexts of every month from it. -#}
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_months_to_rebuild(
        'charge_month', ref('int_policy_month_inputs'), period='charge_month'
    ) }}",
    **incremental_by_period('charge_month')
) }}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTE.)
with

month_inputs as (

    select * from {{ ref('int_policy_month_inputs') }}

),

line_items as (

    select * from {{ ref('int_policy_usage_line_items') }}
    where
        resource_id is not null
        {%- if is_incremental() %}
            and {{ months_to_rebuild_date_filter(
                'charge_date',
                ref('int_policy_month_inputs'),
                period='charge_month'
            ) }}
        {%- endif %}

),

contexts as (

    select distinct
        tags,
        x_environment,
        x_team,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date)
            as charge_month
    from line_items

),

final as (

    select
        contexts.tags,
        contexts.x_environment,
        contexts.x_team,
        contexts.charge_month,
        month_inputs.x_inputs_loaded_at
    from contexts
    inner join month_inputs
        on contexts.charge_month = month_inputs.charge_month

)

select * from final
