{#- A statement is in one currency: the reporting currency. -#}
select
    statement_id,
    count(distinct x_reporting_currency) as currencies,
    min(x_reporting_currency) as currency
from {{ ref('fct_chargeback_statement_lines') }}
group by 1
having
    count(distinct x_reporting_currency) != 1
    or min(x_reporting_currency) != '{{ var("reporting_currency") }}'
