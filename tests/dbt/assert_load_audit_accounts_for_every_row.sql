{#- For every loaded file, rows read = rows loaded + rows quarantined, and the
    quarantine holds exactly the rows the audit says it set aside. -#}
with

audit as (

    select * from {{ source('itfm_load', 'load_audit') }}
    where status in ('loaded', 'incomplete')

),

quarantine as (

    select
        load_id,
        file_path,
        count(*) as quarantined_rows
    from {{ source('itfm_load', 'load_quarantine') }}
    group by 1, 2

)

select
    audit.load_id,
    audit.file_path,
    audit.rows_read,
    audit.rows_loaded,
    audit.rows_quarantined,
    quarantine.quarantined_rows
from audit
left join quarantine
    on
        audit.load_id = quarantine.load_id
        and audit.file_path = quarantine.file_path
where
    audit.status != 'loaded'
    or audit.rows_read != audit.rows_loaded + audit.rows_quarantined
    or audit.rows_quarantined != coalesce(quarantine.quarantined_rows, 0)
