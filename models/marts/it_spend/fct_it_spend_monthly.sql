{#- All IT spend per month, team and type (cloud, contract, general ledger), in
    billing and reporting currency: cloud from the allocated fact, contracts
    with a consuming team directly, the rest through the TBM model. -#}
with

cloud as (

    select * from {{ ref('fct_showback_monthly') }}

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
        billing_month,
        x_team,
        'cloud' as spend_type,
        billing_currency,
        sum(effective_cost) as amount
    from cloud
    group by 1, 2, 3, 4

    union all

    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as billing_month,
        x_team,
        'contract' as spend_type,
        billing_currency,
        sum(amount) as amount
    from contracts
    group by 1, 2, 3, 4

    union all

    select
        billing_month,
        x_team,
        spend_type,
        billing_currency,
        sum(amount) as amount
    from general_ledger
    group by 1, 2, 3, 4

),

spend_totals as (

    select
        billing_month,
        x_team,
        spend_type,
        billing_currency,
        sum(amount) as amount
    from spend
    group by 1, 2, 3, 4

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
            "'|'", "converted.spend_type", "'|'", "converted.billing_currency"
        ])) }} as it_spend_id,

        ---------- strings
        converted.x_team,
        coalesce(teams.cost_center, converted.x_team) as x_cost_center,
        converted.spend_type,
        converted.billing_currency,
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
