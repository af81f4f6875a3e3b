{#- The incremental materialization on DuckDB, with one more strategy:
    `period_insert` (incremental_by_period()). dbt-duckdb writes every
    incremental statement into a temporary table and then copies it into the
    model's table, so the rows are written twice; at 9 million line items the
    fact's month took 10-11 s so, 7.5-8.8 s written once. A model with this
    strategy deletes the periods it rebuilds in its pre-hook (the same literal
    list its statement reads, computed before the statement) and its statement
    is inserted straight into the table, in the same transaction. Every other
    case (first build, --full-refresh, any other strategy) is dbt-duckdb's
    materialization, unchanged. -#}
{% materialization incremental, adapter='duckdb', supported_languages=['sql', 'python'] -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- if config.get('incremental_strategy') != 'period_insert'
        or model['language'] != 'sql'
        or existing_relation is none
        or existing_relation.is_view
        or should_full_refresh() -%}
        {{ return(dbt.materialization_incremental_duckdb()) }}
    {%- endif -%}
    {%- set target_relation = this.incorporate(type='table') -%}

    {#- on_schema_change='fail', as dbt's: the model's columns are the table's
        (in any order: the insert names them). -#}
    {%- set table_columns = adapter.get_columns_in_relation(existing_relation)
        | map(attribute='name') | map('lower') | list -%}
    {%- set query_columns = get_columns_in_query(compiled_code)
        | map('lower') | list -%}
    {%- set only_model = query_columns | reject('in', table_columns) | list -%}
    {%- set only_table = table_columns | reject('in', query_columns) | list -%}
    {%- if only_model or only_table -%}
        {{ exceptions.raise_compiler_error(
            'ITFM-B008 ' ~ this ~ ': the model has columns the table lacks ('
            ~ (only_model | join(', ') or 'none') ~ ') and the table columns the '
            ~ 'model lacks (' ~ (only_table | join(', ') or 'none') ~ '). '
            ~ 'Rebuild it once with `itfm build --full-refresh`.'
        ) }}
    {%- endif -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {#- The transaction opens before the pre-hooks, whose deletes run as they
        are rendered (run_query does not open one): the periods' deletes and
        their insert are committed together, or rolled back together. -#}
    {% call statement('period_insert_begin', auto_begin=True) %}
        select 1
    {% endcall %}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- set columns = [] -%}
    {%- for column in query_columns -%}
        {%- do columns.append(adapter.quote(column)) -%}
    {%- endfor -%}
    {% call statement('main') %}
        insert into {{ target_relation }} ({{ columns | join(', ') }})
        select {{ columns | join(', ') }}
        from ({{ compiled_code }}) as rebuilt_periods
    {% endcall %}

    {% do apply_grants(target_relation, config.get('grants'), should_revoke=False) %}
    {% do persist_docs(target_relation, model) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do adapter.commit() %}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{%- endmaterialization %}
