{#- What the loads set aside, per file and reason: the first place to look when a
    total is lower than the provider's. `dbt compile` writes the SQL to target/. -#}
with

quarantine as (

    select * from {{ source('itfm_load', 'load_quarantine') }}

),

by_reason as (

    select
        source,
        file_path,
        error_code,
        count(*) as quarantined_rows,
        min(line_number) as first_line,
        min(row_number) as first_row,
        any_value(error_message) as example_message
    from quarantine
    group by 1, 2, 3

)

select * from by_reason
order by 4 desc
