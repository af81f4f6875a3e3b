{%- macro create_table_statements(relation, sql) -%}
{#- The statements that (re)create the table `relation` (a name) from the
    query `sql`: used for the allocation's step tables
    (allocation_runs_stepwise). -#}
    {{ return(adapter.dispatch('create_table_statements', 'itfm')(relation, sql)) }}
{%- endmacro %}

{%- macro default__create_table_statements(relation, sql) -%}
    {{ return(['create or replace table ' ~ relation ~ ' as ' ~ sql]) }}
{%- endmacro %}

{%- macro spark__create_table_statements(relation, sql) -%}
{#- Plain Parquet tables (no table format here) cannot be replaced in place. -#}
    {{ return([
        'drop table if exists ' ~ relation,
        'create table ' ~ relation ~ ' using parquet as ' ~ sql
    ]) }}
{%- endmacro %}
