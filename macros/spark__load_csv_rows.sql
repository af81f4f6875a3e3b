{%- macro spark__load_csv_rows(model, agate_table) -%}
{#- Seeds on Spark, values written as escaped literals. dbt-spark's own macro
    binds them into the SQL text unescaped (a seed value with a quote, such as
    "team's", breaks the statement) and sends numbers through float. Here a
    number keeps its decimal text, a string its quotes and backslashes. -#}
{%- set batch_size = get_batch_size() -%}
{%- set column_override = model['config'].get('column_types', {}) -%}
{%- set types = [] -%}
{%- for col_name in agate_table.column_names -%}
    {%- do types.append(
        column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))
    ) -%}
{%- endfor -%}
{%- set statements = [] -%}
{%- for chunk in agate_table.rows | batch(batch_size) -%}
    {%- set rows = [] -%}
    {%- for row in chunk -%}
        {%- set values = [] -%}
        {%- for value in row -%}
            {%- if value is none -%}
                {%- set literal = 'null' -%}
            {%- elif value is boolean -%}
                {%- set literal = 'true' if value else 'false' -%}
            {%- elif value is number -%}
                {%- set literal = "'" ~ value ~ "'" -%}
            {%- else -%}
                {%- set literal = "'" ~ (value | string | replace('\\', '\\\\')
                    | replace("'", "\\'")) ~ "'" -%}
            {%- endif -%}
            {%- do values.append('cast(' ~ literal ~ ' as ' ~ types[loop.index0] ~ ')') -%}
        {%- endfor -%}
        {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows | join(', ') -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- if loop.index0 == 0 -%}
        {%- do statements.append(sql) -%}
    {%- endif -%}
{%- endfor -%}
{{ return(statements[0] if statements else '') }}
{%- endmacro %}
