{% test conserves_totals_of(model, reference, group_by, columns) %}
{#- Conservation between two relations: per `group_by` (for example billing
    month and currency), each of `columns` summed over the tested model equals
    its sum over `reference`, exactly. Fails with every group where a total
    differs or is missing on one side (a group missed or counted twice). -#}
with

model_totals as (

    select
        {% for key in group_by %}{{ key }},
        {% endfor -%}
        {% for column in columns -%}
        sum({{ column }}) as {{ column }}{{ "," if not loop.last }}
        {% endfor -%}
    from {{ model }}
    group by {{ group_by | join(', ') }}

),

reference_totals as (

    select
        {% for key in group_by %}{{ key }},
        {% endfor -%}
        {% for column in columns -%}
        sum({{ column }}) as {{ column }}{{ "," if not loop.last }}
        {% endfor -%}
    from {{ reference }}
    group by {{ group_by | join(', ') }}

)

select
    {% for key in group_by -%}
    coalesce(model_totals.{{ key }}, reference_totals.{{ key }}) as {{ key }},
    {% endfor -%}
    {% for column in columns -%}
    model_totals.{{ column }} as model_{{ column }},
    reference_totals.{{ column }} as reference_{{ column }}{{ "," if not loop.last }}
    {% endfor -%}
from model_totals
full outer join reference_totals
    on
        {% for key in group_by -%}
        model_totals.{{ key }} = reference_totals.{{ key }}
        {{ "and" if not loop.last }}
        {% endfor %}
where
    {% for column in columns -%}
    model_totals.{{ column }} is distinct from reference_totals.{{ column }}
    {{ "or" if not loop.last }}
    {% endfor %}
{% endtest %}
