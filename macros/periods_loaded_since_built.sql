{#- The values of `period_column` (a billing period or month) that have rows in
    `relation` loaded (x_loaded_at) after the newest load this incremental
    table holds: the periods a build must rebuild whole. Use in an
    is_incremental() branch of a model that keeps x_loaded_at per row. -#}
{% macro periods_loaded_since_built(relation, period_column) %}
    select distinct new_rows.{{ period_column }}
    from {{ relation }} as new_rows
    where new_rows.x_loaded_at > (
        {#- An empty table (built before any billing row arrived) has no
            newest load: every row is new. -#}
        select coalesce(
            max(current_rows.x_loaded_at), cast('1900-01-01' as timestamp)
        )
        from {{ this }} as current_rows
    )
{% endmacro %}

{#- The values of `period_column` this table holds for the billing periods a
    load restated to no rows (int_billing_slices_emptied) after the newest load
    this table holds: no new row shows that such a period changed. Read before
    the statement; a list of strings. -#}
{% macro periods_emptied_since_built(period_column) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select distinct built.{{ period_column }}
        from {{ this }} as built
        where cast(built.{{ period_column }} as date) in (
            select emptied.billing_period_start
            from {{ ref('int_billing_slices_emptied') }} as emptied
            where emptied.x_loaded_at > (
                select max(current_rows.x_loaded_at) from {{ this }} as current_rows
            )
        )
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | map('string') | sort | list) }}
{% endmacro %}

{#- The periods to rebuild, read before the model's statement:
    periods_loaded_since_built() and periods_emptied_since_built(), as sorted
    strings. -#}
{% macro periods_to_rebuild(relation, period_column) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set periods = run_query(
        periods_loaded_since_built(relation, period_column)
    ).columns[0].values() | map('string') | list -%}
    {{ return(
        (periods + periods_emptied_since_built(period_column)) | unique | sort | list
    ) }}
{% endmacro %}

{#- periods_to_rebuild() as a filter on literal timestamps: `period_column` of
    the rows read in the periods to rebuild, or false when there is none. A
    filter on literals reaches through the views the model reads (the union of
    every provider's line items) down to their scans, where a join to a
    subquery does not, and Spark's statement then does not read the table it
    overwrites. -#}
{% macro periods_loaded_since_built_filter(relation, period_column) %}
    {{ return(literal_filter(
        period_column, periods_to_rebuild(relation, period_column), 'timestamp'
    )) }}
{% endmacro %}

{#- The pre-hook of a model incremental by billing period (the fact and its
    totals): in an incremental build, the periods to rebuild (the same
    arguments as the model's filter, periods_loaded_since_built_filter()) are
    deleted before the statement writes them again. A period restated to no
    rows (periods_emptied_since_built()) is then empty, as in a full build;
    the statement is inserted as it is (incremental_by_period()). Runs its
    statements itself and returns no SQL. -#}
{% macro delete_periods_to_rebuild(relation, period_column) %}
    {%- if execute and is_incremental() -%}
        {%- do delete_periods(
            this, period_column, periods_to_rebuild(relation, period_column),
            'timestamp'
        ) -%}
    {%- endif -%}
{% endmacro %}
