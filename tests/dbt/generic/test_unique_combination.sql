{% test unique_combination(model, combination_of_columns) %}
{#- Rows whose combination of the given columns is not unique. -#}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
