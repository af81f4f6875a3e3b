{%- macro focus_allowed_values() -%}
    {#- The focus_allowed_values seed as {column_name: [allowed values, sorted]},
        read at compile time; empty before the seed is built (dbt compile on a
        new warehouse, docs generate) and in a unit test (where the ref is the
        test's fixture, with no schema). -#}
    {%- set allowed = {} -%}
    {%- set seed = ref('focus_allowed_values') if execute else none -%}
    {%- if seed is not none and seed.schema is not none
        and relation_is_built(seed) -%}
        {%- for row in run_query(
            'select column_name, allowed_value from ' ~ seed ~ ' order by 1, 2'
        ) -%}
            {%- do allowed.setdefault(row[0], []).append(row[1]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(allowed) }}
{%- endmacro -%}
