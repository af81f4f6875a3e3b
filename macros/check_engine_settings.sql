{%- macro check_engine_settings() -%}
{#- on-run-start: stop the build, before any model runs, when the engine's
    settings would change an amount. On Spark, decimal multiplication with
    precision loss allowed (Spark's default) rounds decimal(38, 10) x
    decimal(38, 10) to six decimals; with it off the exact product is kept (to
    38 digits, an overflow is an error under ANSI mode), as on DuckDB. -#}
    {{ return(adapter.dispatch('check_engine_settings', 'itfm')()) }}
{%- endmacro %}

{%- macro default__check_engine_settings() -%}
select 1
{%- endmacro %}

{%- macro spark__check_engine_settings() -%}
    {%- if execute -%}
        {%- set setting = 'spark.sql.decimalOperations.allowPrecisionLoss' -%}
        {%- set value = run_query('set ' ~ setting).columns[1].values()[0] -%}
        {%- if value | string | lower != 'false' -%}
            {{ exceptions.raise_compiler_error(
                'ITFM-B005 Spark would round money: ' ~ setting ~ ' is ' ~ value
                ~ '. Set it to "false" in the target\'s server_side_parameters'
                ~ ' (or the cluster\'s Spark config).'
            ) }}
        {%- endif -%}
    {%- endif -%}
select 1
{%- endmacro %}
