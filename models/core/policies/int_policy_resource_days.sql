{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_months_to_rebuild(
        'charge_month', ref('int_policy_month_inputs'), period='charge_month'
    ) }}",
    **incremental_by_period('charge_month')
) }}
{#- One row per resource, owner, environment, tags and day of usage that some
    policy looks at: resources of a tag context that fails a tag policy, and
    volumes the inventory saw unattached that day. Only these resource days
    are grouped: grouping every usage line item by resource and day took most
    of the policy checks' time at millions of rows. A table: three policies
    read it. Incremental by charge month: a month whose policy inputs
    (int_policy_month_inputs) were loaded since it was built, or that is new,
    is rebuilt whole; the others are not read or written. -#}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTE.)
with

month_inputs as (

    select * from {{ ref('int_policy_month_inputs') }}

),

line_items as (

    select * from {{ ref('int_policy_usage_line_items') }}
    {%- if is_incremental() %}
        where {{ months_to_rebuild_date_filter(
            'charge_date',
            ref('int_policy_month_inputs'),
            period='charge_month'
        ) }}
    {%- endif %}

),

missing_tag_keys as (

    select * from {{ ref('int_policy_missing_tag_keys') }}

),

untagged_contexts as (

    select * from {{ ref('int_policy_untagged_contexts') }}

),

unattached as (

    select * from {{ ref('int_policy_unattached_volumes') }}

),

failing_contexts as (

    select
        tags,
        x_environment,
        x_team,
        true as is_failing
    from (
        select
            tags,
            x_environment,
            x_team
        from missing_tag_keys
        union
        select
            tags,
            x_environment,
            x_team
        from untagged_contexts
    ) as contexts

),

unattached_days as (

    select distinct
        resource_id,
        snapshot_date,
        true as is_unattached
    from unattached

),

days_of_interest as (

    {#- Left joins to the distinct failing contexts and unattached days, not
        correlated subqueries: DuckDB decorrelates those into a plan that
        reads the line items twice, so it materialized every usage row. -#}
    select
        line_items.resource_id,
        line_items.provider_name,
        line_items.service_name,
        line_items.x_team,
        line_items.x_environment,
        line_items.tags,
        line_items.charge_date,
        cast({{ dbt.date_trunc('month', 'line_items.charge_date') }} as date)
            as charge_month,
        line_items.x_effective_cost_reporting
    from line_items
    left join failing_contexts
        on
            line_items.tags is not distinct from failing_contexts.tags
            and line_items.x_environment
            is not distinct from failing_contexts.x_environment
            and line_items.x_team is not distinct from failing_contexts.x_team
    left join unattached_days
        on
            line_items.resource_id = unattached_days.resource_id
            and line_items.charge_date = unattached_days.snapshot_date
    where
        line_items.resource_id is not null
        and (
            failing_contexts.is_failing
            or unattached_days.is_unattached
        )

),

final as (

    select
        days_of_interest.resource_id,
        days_of_interest.provider_name,
        days_of_interest.service_name,
        days_of_interest.x_team,
        days_of_interest.x_environment,
        days_of_interest.tags,
        days_of_interest.charge_date,
        days_of_interest.charge_month,
        sum(days_of_interest.x_effective_cost_reporting) as x_cost_reporting,
        max(month_inputs.x_inputs_loaded_at) as x_inputs_loaded_at
    from days_of_interest
    inner join month_inputs
        on days_of_interest.charge_month = month_inputs.charge_month
    group by 1, 2, 3, 4, 5, 6, 7, 8

)

select * from final
