{#- fct_resource_cost_daily holds every line item with a resource id, to the
    cent and beyond: per billing month, per resource and owner, its cost equals
    the attributed line items' (both in the reporting currency). A row here is
    a slice that lost or gained cost. -#}
{{ config(severity='error') }}

with

line_items as (

    select * from {{ ref('int_line_items_attributed') }}
    where resource_id is not null

),

resource_days as (

    select * from {{ ref('fct_resource_cost_daily') }}

),

expected as (

    select
        billing_month,
        resource_id,
        coalesce(x_team, '') as x_team,
        sum(x_effective_cost_reporting) as x_cost,
        count(*) as line_items
    from line_items
    group by 1, 2, 3

),

actual as (

    select
        billing_month,
        resource_id,
        coalesce(x_team, '') as x_team,
        sum(x_effective_cost_reporting) as x_cost,
        sum(line_items) as line_items
    from resource_days
    group by 1, 2, 3

)

select
    coalesce(expected.billing_month, actual.billing_month) as billing_month,
    coalesce(expected.resource_id, actual.resource_id) as resource_id,
    coalesce(expected.x_team, actual.x_team) as x_team,
    expected.x_cost as expected_cost,
    actual.x_cost as actual_cost
from expected
full outer join actual
    on
        expected.billing_month = actual.billing_month
        and expected.resource_id = actual.resource_id
        and expected.x_team = actual.x_team
where
    expected.x_cost is null
    or actual.x_cost is null
    or expected.x_cost != actual.x_cost
    or expected.line_items != actual.line_items
