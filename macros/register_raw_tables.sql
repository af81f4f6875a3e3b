{%- macro register_raw_tables() -%}
{#- on-run-start: on an engine that reads the raw layer as Parquet (Spark),
    (re)declare each raw table over its current Parquet version, from the var
    raw_parquet_tables that `itfm build --target spark` passes (table ->
    location, partitions; written by `itfm raw-parquet`). Elsewhere nothing:
    DuckDB reads the loader's tables themselves. -#}
    {{ return(adapter.dispatch('register_raw_tables', 'itfm')()) }}
{%- endmacro %}

{%- macro default__register_raw_tables() -%}
select 1
{%- endmacro %}

{%- macro spark__register_raw_tables() -%}
    {%- if execute -%}
        {%- do run_query('create database if not exists raw') -%}
        {%- for table, spec in var('raw_parquet_tables', {}).items() -%}
            {%- do run_query('drop table if exists raw.' ~ table) -%}
            {%- do run_query(
                'create table raw.' ~ table ~ " using parquet location '"
                ~ spec['location'] ~ "'"
            ) -%}
            {%- if spec['partitions'] -%}
                {%- do run_query('msck repair table raw.' ~ table) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
select 1
{%- endmacro %}
