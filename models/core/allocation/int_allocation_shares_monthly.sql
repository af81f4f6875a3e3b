{#- Weight of each target team per allocation rule and billing month. Targets
    are the rule's rows in allocation_targets, else every team except the
    pool's own and the teams whose pools earlier steps emptied. Proportional
    rules weigh by the driver, `even` by 1, `fixed` by the fixed percent. A
    month with no positive weight has no rows: the pool goes to `unallocated`. -#}
{#- A table: each statement of the allocation (one per billing month, or per
    step on Spark) reads these shares, which are small and costly to derive. -#}
{{ config(materialized='table') }}
with

rules as (

    select * from {{ ref('allocation_rules') }}

),

explicit_targets as (

    select * from {{ ref('allocation_targets') }}

),

teams as (

    select * from {{ ref('teams') }}

),

drivers as (

    select * from {{ ref('int_allocation_drivers_monthly') }}

),

months as (

    select distinct billing_month from drivers

),

implicit_targets as (

    select
        rules.rule_id,
        teams.team,
        cast(null as double) as fixed_percent
    from rules
    cross join teams
    where
        rules.rule_id not in (select explicit_targets.rule_id from explicit_targets)
        and not (rules.pool_column = 'x_team' and rules.pool_value = teams.team)
        and teams.team not in (
            select earlier.pool_value
            from rules as earlier
            where earlier.pool_column = 'x_team' and earlier.step < rules.step
        )

),

targets as (

    select
        rule_id,
        team,
        cast(fixed_percent as double) as fixed_percent
    from explicit_targets
    union all
    select * from implicit_targets

),

weights as (

    select
        rules.rule_id,
        months.billing_month,
        targets.team,
        case rules.method
            when 'even' then 1.0
            when 'fixed' then targets.fixed_percent
            when 'proportional' then drivers.driver_value
        end as weight
    from rules
    inner join targets
        on rules.rule_id = targets.rule_id
    cross join months
    left join drivers
        on
            rules.driver = drivers.driver
            and targets.team = drivers.team
            and months.billing_month = drivers.billing_month

)

select * from weights
where weight > 0
