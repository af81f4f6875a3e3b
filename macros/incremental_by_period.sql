{%- macro incremental_by_period(column) -%}
{#- The config of a model incremental by billing period: the periods a build
    selects replace theirs whole, the others are kept. On DuckDB, delete +
    insert keyed on `column`; on Spark (plain Parquet tables, no MERGE), the
    table is partitioned by `column` and the selected partitions are
    overwritten (insert_overwrite, dynamic partition overwrite). Use as
    config(materialized='incremental', **incremental_by_period('billing_month')). -#}
    {{ return(adapter.dispatch('incremental_by_period', 'itfm')(column)) }}
{%- endmacro %}

{%- macro default__incremental_by_period(column) -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': column}) }}
{%- endmacro %}

{%- macro spark__incremental_by_period(column) -%}
    {{ return({
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [column],
        'file_format': 'parquet'
    }) }}
{%- endmacro %}
