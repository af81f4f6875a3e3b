{#- The billing months an incremental model rebuilds: those of `inputs` (a
    relation or CTE with one or more rows per month in column `period`, its
    newest input load in `loaded_at`) that this table does not hold yet, or
    whose inputs were loaded after what this table recorded for them (its
    x_inputs_loaded_at, per month in column `built_period`, by default
    `period`). Use in an is_incremental() branch; the model keeps
    x_inputs_loaded_at per row. -#}
{% macro months_to_rebuild(
    inputs, loaded_at='x_inputs_loaded_at', period='billing_month', built_period=none
) %}
    {%- set built_period = built_period or period %}
    select input_months.{{ period }}
    from (
        select
            {{ period }},
            max({{ loaded_at }}) as x_inputs_loaded_at
        from {{ inputs }}
        group by 1
    ) as input_months
    left join (
        select
            {{ built_period }} as {{ period }},
            max(x_inputs_loaded_at) as x_inputs_loaded_at
        from {{ this }}
        group by 1
    ) as built_months
        on input_months.{{ period }} = built_months.{{ period }}
    where
        built_months.{{ period }} is null
        or input_months.x_inputs_loaded_at > built_months.x_inputs_loaded_at
{% endmacro %}

{#- months_to_rebuild() run before the model's statement: the first days of
    the months to rebuild, as sorted 'YYYY-MM-DD' strings. -#}
{% macro months_to_rebuild_list(
    inputs, period='billing_month', built_period=none, loaded_at='x_inputs_loaded_at'
) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set months = run_query(months_to_rebuild(
        inputs, loaded_at=loaded_at, period=period, built_period=built_period
    )).columns[0].values() | map('string') | sort -%}
    {%- set days = [] -%}
    {%- for month in months -%}
        {%- do days.append(month[:10]) -%}
    {%- endfor -%}
    {{ return(days) }}
{% endmacro %}

{#- months_to_rebuild() run before the model's statement and returned as a
    filter on literal months: `month_expression` (a month's first day) in the
    months to rebuild, or false when there is none. A filter on literals
    reaches through the views the model reads down to their table scans (a
    subquery over this table does not), and Spark's statement then does not
    read the table it overwrites. -#}
{% macro months_to_rebuild_filter(
    month_expression, inputs, period='billing_month', built_period=none,
    loaded_at='x_inputs_loaded_at'
) %}
    {%- set days = months_to_rebuild_list(
        inputs, period=period, built_period=built_period, loaded_at=loaded_at
    ) -%}
    {{ return(literal_filter('cast(' ~ month_expression ~ ' as date)', days, 'date')) }}
{% endmacro %}

{#- The same months as months_to_rebuild_filter(), as ranges of a date
    column: `date_expression` (a day) from each month's first day to the next
    month's, or false when there is none. A range on a column reaches through
    the grouping views above it to their table's scan (and its zone maps),
    where a filter on the column's month did not: at `medium` the policy
    violations' month filter grouped every resource day of every month before
    keeping one (0.31 to 0.48 s against 0.10). -#}
{% macro months_to_rebuild_date_filter(
    date_expression, inputs, period='billing_month', built_period=none,
    loaded_at='x_inputs_loaded_at'
) %}
    {%- set days = months_to_rebuild_list(
        inputs, period=period, built_period=built_period, loaded_at=loaded_at
    ) -%}
    {%- if not days -%}
        {{ return('1 = 0') }}
    {%- endif -%}
    {%- set ranges = [] -%}
    {%- for day in days -%}
        {%- set first = modules.datetime.date.fromisoformat(day) -%}
        {%- set next = (first.replace(day=28) + modules.datetime.timedelta(days=4))
            .replace(day=1) -%}
        {%- do ranges.append(
            '(' ~ date_expression ~ " >= cast('" ~ first ~ "' as date) and "
            ~ date_expression ~ " < cast('" ~ next ~ "' as date))"
        ) -%}
    {%- endfor -%}
    {{ return('(' ~ ranges | join(' or ') ~ ')') }}
{% endmacro %}

{#- The pre-hook of a model incremental by month: in an incremental build, the
    months to rebuild (months_to_rebuild_list(), the same arguments as the
    model's filter) are deleted from the table (`column`, the table's month)
    before the statement writes them again. A month whose rebuild has no row
    (its line items restated to none, every violation of it gone) is then
    empty, as in a full build; delete + insert and Spark's partition overwrite
    replace only the months the statement writes. Runs its statements itself
    and returns no SQL. -#}
{% macro delete_months_to_rebuild(
    column, inputs, period='billing_month', built_period=none,
    loaded_at='x_inputs_loaded_at'
) %}
    {%- if execute and is_incremental() -%}
        {%- do delete_periods(this, column, months_to_rebuild_list(
            inputs, period=period, built_period=built_period, loaded_at=loaded_at
        ), 'date') -%}
    {%- endif -%}
{% endmacro %}

{#- Deletes the rows of `relation` whose `column` (its period or month, the
    table's partition column on Spark) is one of the literal `values` (strings
    cast to `type`). On DuckDB a delete; on Spark (plain Parquet tables) each
    value's partition is dropped. Runs its statements itself. -#}
{% macro delete_periods(relation, column, values, type) %}
    {{ return(adapter.dispatch('delete_periods', 'itfm')(
        relation, column, values, type
    )) }}
{% endmacro %}

{% macro default__delete_periods(relation, column, values, type) %}
    {%- if values -%}
        {%- do run_query(
            'delete from ' ~ relation ~ ' where '
            ~ literal_filter(column, values, type)
        ) -%}
    {%- endif -%}
{% endmacro %}

{% macro spark__delete_periods(relation, column, values, type) %}
    {%- for value in values -%}
        {%- do run_query(
            'alter table ' ~ relation ~ ' drop if exists partition ('
            ~ column ~ " = '" ~ value ~ "')"
        ) -%}
    {%- endfor -%}
{% endmacro %}

{#- `expression` in the literal `values` (strings) cast to `type`, or false
    when there is none: the filter of a model that reads its periods to
    rebuild before its statement. -#}
{% macro literal_filter(expression, values, type) %}
    {%- if not values -%}
        {{ return('1 = 0') }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append("cast('" ~ value ~ "' as " ~ type ~ ")") -%}
    {%- endfor -%}
    {{ return(expression ~ ' in (' ~ literals | join(', ') ~ ')') }}
{% endmacro %}
