{#- Every month of the scorecard lists all fifteen KPIs, each with a target
    and a status, and a value unless a reason says why not. -#}
select
    kpi_month,
    count(distinct kpi_id) as kpis,
    sum(
        case
            when kpi_status is null then 1
            when target_low is null and target_high is null then 1
            when kpi_value is null and not_available_reason is null then 1
            else 0
        end
    ) as incomplete_rows
from {{ ref('fct_itfm_kpi_scorecard_monthly') }}
group by 1
having
    count(distinct kpi_id) != 15
    or sum(
        case
            when kpi_status is null then 1
            when target_low is null and target_high is null then 1
            when kpi_value is null and not_available_reason is null then 1
            else 0
        end
    ) > 0
