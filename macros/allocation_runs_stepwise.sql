{%- macro allocation_runs_stepwise() -%}
{#- Whether cost_allocated_rows writes each allocation step to a table of its
    own (`<model>__step_<n>`) before the model's statement reads them. DuckDB
    plans the chain of step CTEs as one query; Spark's analyzer inlines the
    CTEs into one plan, and on the ci data spent minutes and ran out of memory
    on it, so on Spark each step is one statement over the table before. -#}
    {{ return(adapter.dispatch('allocation_runs_stepwise', 'itfm')()) }}
{%- endmacro %}

{%- macro default__allocation_runs_stepwise() -%}
    {{ return(false) }}
{%- endmacro %}

{%- macro spark__allocation_runs_stepwise() -%}
    {{ return(true) }}
{%- endmacro %}
