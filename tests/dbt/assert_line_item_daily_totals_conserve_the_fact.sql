{#- int_line_item_totals_daily holds the attributed line items summed,
    nothing lost or counted twice: per billing period, owner and attribution
    method, its line items and reporting-currency effective cost equal the
    fact's, exactly. The owners' daily cost series, the unmapped-cost mart and
    the KPI values read these totals instead of the line items. -#}
with

line_items as (

    select * from {{ ref('fct_billing_line_items') }}

),

line_item_totals as (

    select * from {{ ref('int_line_item_totals_daily') }}

),

expected as (

    select
        billing_period_start,
        coalesce(x_team, '') as x_team,
        coalesce(x_attribution_method, '') as x_attribution_method,
        count(*) as line_items,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from line_items
    group by 1, 2, 3

),

actual as (

    select
        billing_period_start,
        coalesce(x_team, '') as x_team,
        coalesce(x_attribution_method, '') as x_attribution_method,
        sum(line_items) as line_items,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from line_item_totals
    group by 1, 2, 3

)

select
    coalesce(expected.billing_period_start, actual.billing_period_start)
        as billing_period_start,
    coalesce(expected.x_team, actual.x_team) as x_team,
    coalesce(expected.x_attribution_method, actual.x_attribution_method)
        as x_attribution_method,
    expected.line_items as fact_line_items,
    actual.line_items as totals_line_items,
    expected.x_effective_cost_reporting as fact_cost,
    actual.x_effective_cost_reporting as totals_cost
from expected
full outer join actual
    on
        expected.billing_period_start = actual.billing_period_start
        and expected.x_team = actual.x_team
        and expected.x_attribution_method = actual.x_attribution_method
where
    expected.line_items is null
    or actual.line_items is null
    or expected.line_items != actual.line_items
    or expected.x_effective_cost_reporting
    is distinct from actual.x_effective_cost_reporting
