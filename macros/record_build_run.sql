{%- macro record_build_run(event, results=none) -%}
    {#- on-run-start / on-run-end: one row per `dbt build` or `dbt run` and
        event ('started', then 'finished' with its status and failed nodes) in
        itfm_build_runs, so that `itfm validate`, `export`, `focus-validate` and
        `summary` refuse to read the tables of a failed or unfinished build.
        Insert-only (no update), so it works on any engine. -#}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set relation = target.schema ~ '.itfm_build_runs' -%}
        {%- set failed = [] -%}
        {%- if results is not none -%}
            {%- for result in results -%}
                {%- if result.status in ('error', 'fail', 'runtime error') -%}
                    {%- do failed.append(result.node.name) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
        {%- set status = 'running' if event == 'started'
            else ('failed' if failed else 'success') -%}
        {#- One statement per call: Spark runs no scripts. -#}
        {%- do run_query(
            'create table if not exists ' ~ relation ~ ' (invocation_id varchar(64),'
            ~ ' command varchar(16), event varchar(16), status varchar(16),'
            ~ ' failed_nodes varchar(4000), recorded_at timestamp)'
        ) -%}
        {%- do run_query(
            "insert into " ~ relation ~ " values ('" ~ invocation_id ~ "', '"
            ~ flags.WHICH ~ "', '" ~ event ~ "', '" ~ status ~ "', '"
            ~ failed[:40] | join(", ") | replace("'", "''") ~ "', current_timestamp)"
        ) -%}
        select 1
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}
