{%- macro replace_month_statements(relation, columns, month, rows_sql) -%}
{#- The statements that replace one billing month of `relation` (incremental
    by billing month, see incremental_by_period) with the rows `rows_sql`
    selects, `columns` being the table's column list. -#}
    {{ return(adapter.dispatch('replace_month_statements', 'itfm')(
        relation, columns, month, rows_sql
    )) }}
{%- endmacro %}

{%- macro default__replace_month_statements(relation, columns, month, rows_sql) -%}
    {{ return([
        "delete from " ~ relation ~ " where billing_month = cast('" ~ month
        ~ "' as date)",
        "insert into " ~ relation ~ " (" ~ columns ~ ") select " ~ columns
        ~ " from (" ~ rows_sql ~ ") as month_rows"
    ]) }}
{%- endmacro %}

{%- macro spark__replace_month_statements(relation, columns, month, rows_sql) -%}
{#- The table is partitioned by billing_month: overwriting the month's
    partition (dynamic partition overwrite, the partition column last)
    replaces it in one statement. -#}
    {%- set others = columns.split(', ') | reject('equalto', 'billing_month')
        | list -%}
    {{ return([
        "insert overwrite table " ~ relation ~ " partition (billing_month) select "
        ~ others | join(', ') ~ ", billing_month from (" ~ rows_sql
        ~ ") as month_rows"
    ]) }}
{%- endmacro %}
