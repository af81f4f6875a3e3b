{%- macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
{#- dbt.listagg on Spark, in order. dbt-spark's own ignores order_by_clause
    (with a warning), so a list such as the policy's missing tag keys came out
    in another order than on DuckDB. Here the values are collected with their
    order key and sorted: order_by_clause is `order by <expression>`, with an
    optional asc or desc (one key; more raise an error). -#}
{%- set collected -%}
    {%- if order_by_clause -%}
        {%- set clause = order_by_clause | trim -%}
        {%- if not clause.lower().startswith('order by ') or ',' in clause -%}
            {{ exceptions.raise_compiler_error(
                'spark__listagg: order_by_clause must be "order by <expression>"'
                ~ ' [asc|desc], not ' ~ order_by_clause
            ) }}
        {%- endif -%}
        {%- set key = clause[9:] | trim -%}
        {%- set descending = key.lower().endswith(' desc') -%}
        {%- if descending or key.lower().endswith(' asc') -%}
            {%- set key = key[:key.rindex(' ')] | trim -%}
        {%- endif -%}
        {%- if descending %}reverse({% endif -%}
        transform(
            array_sort(collect_list(named_struct('key', {{ key }}, 'value', {{ measure }}))),
            entry -> entry.value
        )
        {%- if descending %}){% endif -%}
    {%- else -%}
        collect_list({{ measure }})
    {%- endif -%}
{%- endset -%}
{%- if limit_num -%}
    {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
{%- endif -%}
{{ return('array_join(' ~ collected ~ ', ' ~ delimiter_text ~ ')') }}
{%- endmacro %}
