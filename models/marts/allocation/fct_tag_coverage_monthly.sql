{#- Per billing month, billing account and required tag key: the share of the
    cost of resources in an environment requiring that key that carries it.
    Incremental by billing month: a month with a
    resource line item loaded after what the table recorded for it
    (x_inputs_loaded_at), or a billing slice restated to no rows since, or new,
    is rebuilt whole (deleted first: a month left with no row is empty); the
    others are not read or written. Edits to tag_required_keys need
    `dbt build --full-refresh`. -#}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTE.)
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_months_to_rebuild(
        'billing_month', tag_coverage_month_inputs(), loaded_at='x_loaded_at'
    ) }}",
    **incremental_by_period('billing_month')
) }}
{%- set month_filter = months_to_rebuild_filter(
    'billing_month', tag_coverage_month_inputs(), loaded_at='x_loaded_at'
) if is_incremental() else '' %}
with

line_items as (

    {#- Resource line items summed by what the checks below read (they only
        sum the cost and take the newest load): two CTEs read this one, so
        it is materialized, and one row per line item was most of this
        model's time. -#}
    select
        billing_month,
        provider_name,
        billing_account_id,
        x_environment,
        tag_team is not null as has_team,
        tag_cost_center is not null as has_cost_center,
        tag_product is not null as has_product,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        max(x_loaded_at) as x_loaded_at
    from {{ ref('int_line_items_attributed') }}
    where
        resource_id is not null
        {%- if is_incremental() %}
            and {{ month_filter }}
        {%- endif %}
    group by 1, 2, 3, 4, 5, 6, 7

),

required_keys as (

    select * from {{ ref('tag_required_keys') }}

),

checked as (

    select
        line_items.billing_month,
        line_items.provider_name,
        line_items.billing_account_id,
        required_keys.environment,
        required_keys.canonical_key,
        line_items.x_effective_cost_reporting,
        case required_keys.canonical_key
            when 'team' then line_items.has_team
            when 'cost_center' then line_items.has_cost_center
            when 'environment' then line_items.x_environment is not null
            when 'product' then line_items.has_product
            else false
        end as has_key
    from line_items
    inner join required_keys
        on line_items.x_environment = required_keys.environment

),

emptied_slices as (

    select * from {{ ref('int_billing_slices_emptied') }}

),

month_loads as (

    {#- Per month, the newest load of all its resource line items (those in
        no environment with a required key too) and of its billing slices
        restated to no rows, what the next build compares with
        (tag_coverage_month_inputs()). -#}
    select
        billing_month,
        max(x_loaded_at) as x_inputs_loaded_at
    from (
        select
            billing_month,
            x_loaded_at
        from line_items
        union all
        select
            billing_month,
            x_loaded_at
        from emptied_slices
    ) as month_inputs
    group by 1

),

grouped as (

    select
        billing_month,
        provider_name,
        billing_account_id,
        environment,
        canonical_key as tag_key,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(case when has_key then x_effective_cost_reporting else 0 end)
            as x_tagged_effective_cost_reporting
    from checked
    group by 1, 2, 3, 4, 5

),

grouped_with_loads as (

    select
        grouped.*,
        month_loads.x_inputs_loaded_at
    from grouped
    inner join month_loads
        on grouped.billing_month = month_loads.billing_month

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cast(billing_month as string)", "'|'", "provider_name", "'|'",
            "billing_account_id", "'|'", "environment", "'|'", "tag_key"
        ])) }} as tag_coverage_id,
        billing_account_id,

        ---------- strings
        provider_name,
        environment,
        tag_key,

        ---------- numerics
        x_effective_cost_reporting,
        x_tagged_effective_cost_reporting,
        cast(
            100.0 * x_tagged_effective_cost_reporting
            / nullif(x_effective_cost_reporting, 0) as decimal(9, 4)
        ) as tag_coverage_pct,

        ---------- dates
        billing_month,

        ---------- timestamps
        x_inputs_loaded_at

    from grouped_with_loads

)

select * from final
