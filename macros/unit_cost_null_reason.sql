{#- Why a unit cost is NULL (or NULL when it is not): no business metrics for
    the period, a missing denominator, or a zero one. -#}
{%- macro unit_cost_null_reason(has_metrics, denominator, label) -%}
    case
        when not {{ has_metrics }} then 'no business metrics for the period'
        when {{ denominator }} is null then 'no {{ label }} reported'
        when {{ denominator }} = 0 then 'zero {{ label }}'
    end
{%- endmacro -%}
