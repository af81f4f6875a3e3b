{% test accepted_focus_values(model, column_name, focus_column=none) %}
{#- Values of column_name missing from the focus_allowed_values seed. -#}
with

allowed as (

    select allowed_value
    from {{ ref('focus_allowed_values') }}
    where column_name = '{{ focus_column or column_name }}'

),

observed as (

    select
        {{ column_name }} as observed_value,
        count(*) as row_count
    from {{ model }}
    where {{ column_name }} is not null
    group by 1

)

select observed.*
from observed
left join allowed
    on observed.observed_value = allowed.allowed_value
where allowed.allowed_value is null
{% endtest %}
