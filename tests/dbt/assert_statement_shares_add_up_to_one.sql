{#- The statements of a month (cost centers and FinOps buckets) share the
    month's cost: their shares add up to 1 (100%). -#}
select
    billing_month,
    sum(share_of_month) as total_share
from {{ ref('fct_chargeback_statements_monthly') }}
group by 1
having abs(sum(share_of_month) - 1) > 0.000001
