{#- Tags name teams the teams seed does not know: add them to
    seeds/attribution/teams.csv (or a value alias) so they get a cost center. -#}
{{ config(severity='warn') }}

select
    x_team,
    count(*) as allocated_rows,
    sum(x_effective_cost_reporting) as x_effective_cost_reporting
from {{ ref('fct_cost_allocated') }}
where
    not is_known_team
    and x_team not in ('unmapped', 'unallocated', 'idle')
group by 1
