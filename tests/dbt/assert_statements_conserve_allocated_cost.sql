{#- Chargeback statements hold every allocated dollar once: per billing
    month, their billed and effective cost (reporting currency) equal the
    allocated fact's exactly, and so do the monthly statement totals. -#}
with

allocated as (

    select
        billing_month,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_cost_allocated') }}
    group by 1

),

lines as (

    select
        billing_month,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_chargeback_statement_lines') }}
    group by 1

),

statements as (

    select
        billing_month,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_chargeback_statements_monthly') }}
    group by 1

)

select
    allocated.billing_month,
    allocated.x_effective_cost_reporting as allocated_effective,
    lines.x_effective_cost_reporting as lines_effective,
    statements.x_effective_cost_reporting as statements_effective,
    allocated.x_billed_cost_reporting as allocated_billed,
    lines.x_billed_cost_reporting as lines_billed
from allocated
full outer join lines
    on allocated.billing_month = lines.billing_month
full outer join statements
    on allocated.billing_month = statements.billing_month
where
    allocated.billing_month is null
    or lines.billing_month is null
    or statements.billing_month is null
    or allocated.x_effective_cost_reporting != lines.x_effective_cost_reporting
    or allocated.x_billed_cost_reporting != lines.x_billed_cost_reporting
    or allocated.x_effective_cost_reporting
    != statements.x_effective_cost_reporting
