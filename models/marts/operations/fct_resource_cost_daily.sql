{#- One row per resource, charge day, billing month, owner, provider and
    service: the resource's own cost as billed (before any shared cost is
    split onto it or away from it), in the reporting currency. Line items
    without a resource id are not here. What the debug dashboard's
    resource x day heatmap reads.
    A view: a resource's day is about one line item in a daily export (at
    `medium`, 8,891,726 rows for 8,892,387 line items), so as a table it was a
    third copy of the line items (15.7 s of a full build, 3.6 s of an
    incremental one). Read, it groups the fact's line items with a resource
    id; a filter on billing_month or charge_date reaches the fact's scan. -#}
{{ config(materialized='view') }}

with

line_items as (

    select * from {{ ref('int_line_items_attributed') }}
    where resource_id is not null

),

grouped as (

    select
        resource_id,
        x_team,
        x_cost_center,
        provider_name,
        service_name,
        charge_date,
        billing_month,
        max(resource_name) as resource_name,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        count(*) as line_items,
        max(x_loaded_at) as x_inputs_loaded_at
    from line_items
    group by 1, 2, 3, 4, 5, 6, 7

),

final as (

    select
        ---------- ids
        resource_id,

        ---------- strings
        resource_name,
        x_team,
        x_cost_center,
        provider_name,
        service_name,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        cast(x_effective_cost_reporting as {{ type_money() }})
            as x_effective_cost_reporting,
        cast(line_items as bigint) as line_items,

        ---------- dates
        charge_date,
        billing_month,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month,

        ---------- timestamps
        x_inputs_loaded_at

    from grouped

)

select * from final
