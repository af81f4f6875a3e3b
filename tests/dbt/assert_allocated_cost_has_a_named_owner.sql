{#- Every allocated row belongs to a team or to a named bucket: unmapped (no
    owner found), unallocated (a pool with no driver) or idle (unused cluster
    capacity). A team outside the teams seed is reported as a warning. -#}
{{ config(severity='error') }}

select
    x_team,
    x_allocation_method,
    count(*) as allocated_rows
from {{ ref('fct_cost_allocated') }}
where
    x_team is null
    or (
        x_team in ('unmapped', 'unallocated', 'idle')
        and x_allocation_method not in ('direct', 'shared', 'unallocated', 'kubernetes')
    )
group by 1, 2
