{#- A settings seed holds one row: two would double every row that joins it. -#}
select
    'chargeback_settings' as seed_name,
    count(*) as seed_rows
from {{ ref('chargeback_settings') }}
having count(*) != 1

union all

select
    'operations_settings' as seed_name,
    count(*) as seed_rows
from {{ ref('operations_settings') }}
having count(*) != 1
