{#- All IT spend per month, team, type (cloud, contract, general ledger) and
    TBM cost pool, tower and solution, in billing and reporting currency:
    cloud from the allocated daily cost (cost pool Cloud Services, the tower of
    its service category in seed tbm_cloud_towers), contracts with a consuming
    team directly (their cost pool, no tower), the rest through the TBM model
    (cost pool -> tower -> solution -> team). -#}
with

cloud as (

    select * from {{ ref('fct_cost_daily_by_owner') }}

),

cloud_towers as (

    select * from {{ ref('tbm_cloud_towers') }}

),

contracts as (

    select * from {{ ref('int_contracts_amortized_daily') }}
    where x_team != 'unallocated'

),

general_ledger as (

    select * from {{ ref('int_gl_costs_allocated_monthly') }}

),

teams as (

    select * from {{ ref('teams') }}

),

exchange_rates as (

    select * from {{ ref('int_exchange_rates_daily') }}

),

spend as (

    select
        cloud.billing_month,
        cloud.x_team,
        'cloud' as spend_type,
        cloud.billing_currency,
        'Cloud Services' as tbm_cost_pool,
        coalesce(cloud_towers.tbm_tower, 'Unassigned') as tbm_tower,
        cast(null as string) as tbm_solution,
        sum(cloud.effective_cost) as amount
    from cloud
    left join cloud_towers
        on cloud.service_category = cloud_towers.service_category
    group by 1, 2, 3, 4, 5, 6, 7

    union all

    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as billing_month,
        x_team,
        'contract' as spend_type,
        billing_currency,
        tbm_cost_pool,
        cast(null as string) as tbm_tower,
        cast(null as string) as tbm_solution,
        sum(amount) as amount
    from contracts
    group by 1, 2, 3, 4, 5, 6, 7

    union all

    select
        billing_month,
        x_team,
        spend_type,
        billing_currency,
        tbm_cost_pool,
        tbm_tower,
        tbm_solution,
        sum(amount) as amount
    from general_ledger
    group by 1, 2, 3, 4, 5, 6, 7

),

spend_totals as (

    select
        billing_month,
        x_team,
        spend_type,
        billing_currency,
        tbm_cost_pool,
        tbm_tower,
        tbm_solution,
        sum(amount) as amount
    from spend
    group by 1, 2, 3, 4, 5, 6, 7

),

converted as (

    select
        spend_totals.*,
        case
            when spend_totals.billing_currency = '{{ var("reporting_currency") }}'
                then cast(1 as decimal(18, 8))
            else exchange_rates.exchange_rate
        end as x_exchange_rate
    from spend_totals
    left join exchange_rates
        on
            spend_totals.billing_currency = exchange_rates.from_currency
            and spend_totals.billing_month = exchange_rates.rate_date

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cast(converted.billing_month as string)", "'|'", "converted.x_team",
            "'|'", "converted.spend_type", "'|'", "converted.billing_currency",
            "'|'", "coalesce(converted.tbm_cost_pool, '')",
            "'|'", "coalesce(converted.tbm_tower, '')",
            "'|'", "coalesce(converted.tbm_solution, '')"
        ])) }} as it_spend_id,

        ---------- strings
        converted.x_team,
        coalesce(teams.cost_center, converted.x_team) as x_cost_center,
        converted.spend_type,
        converted.billing_currency,
        converted.tbm_cost_pool,
        converted.tbm_tower,
        converted.tbm_solution,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        cast(converted.amount as {{ type_money() }}) as amount,
        cast(
            converted.amount * converted.x_exchange_rate as {{ type_money() }}
        ) as x_amount_reporting,

        ---------- dates
        converted.billing_month

    from converted
    left join teams
        on converted.x_team = teams.team

)

select * from final
