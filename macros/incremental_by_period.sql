{%- macro incremental_by_period(column) -%}
{#- The config of a model incremental by billing period: the periods a build
    selects replace theirs whole, the others are kept. The model's pre-hook
    deletes the periods it rebuilds (delete_months_to_rebuild(),
    delete_periods_to_rebuild()): a period whose rebuild has no row is then
    empty, as in a full build. On DuckDB the statement is then inserted into
    the table as it is (period_insert, materialization_incremental_duckdb.sql:
    not through a temporary table); on Spark (plain Parquet tables, no MERGE),
    the table is partitioned by `column` and the selected partitions are
    overwritten (insert_overwrite, dynamic partition overwrite). Use as
    config(materialized='incremental', **incremental_by_period('billing_month')). -#}
    {{ return(adapter.dispatch('incremental_by_period', 'itfm')(column)) }}
{%- endmacro %}

{%- macro default__incremental_by_period(column) -%}
    {{ return({'incremental_strategy': 'period_insert'}) }}
{%- endmacro %}

{%- macro spark__incremental_by_period(column) -%}
    {{ return({
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [column],
        'file_format': 'parquet'
    }) }}
{%- endmacro %}
