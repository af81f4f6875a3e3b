{%- macro record_exposure_models() -%}
    {#- on-run-end: the models each exposure (models/exposures.yml) depends on,
        in itfm_exposure_models, so that `itfm export` reads what to export from
        the build that made the tables (one declaration: the exposure). -#}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set relation = target.schema ~ '.itfm_exposure_models' -%}
        {%- set rows = [] -%}
        {%- for exposure in graph.exposures.values() -%}
            {%- for node_id in exposure.depends_on.nodes -%}
                {%- set node = graph.nodes.get(node_id) -%}
                {%- if node is not none and node.resource_type == 'model' -%}
                    {%- do rows.append(
                        "('" ~ exposure.name ~ "', '" ~ node.name ~ "')"
                    ) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {#- One statement per call: Spark runs no scripts. -#}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query(
            'create table ' ~ relation ~ ' (exposure varchar(256), model varchar(256))'
        ) -%}
        {%- if rows -%}
            {%- do run_query(
                'insert into ' ~ relation ~ ' values ' ~ rows | join(', ')
            ) -%}
        {%- endif %}
        select 1
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}
