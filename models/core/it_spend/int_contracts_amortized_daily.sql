{#- Contracts bought outside the cloud bill (licenses, support, colocation),
    spread evenly over each day of their term with exact cent rounding: the
    days of a contract add up to its total. -#}
with

contracts as (

    select * from {{ ref('contracts') }}

),

days as (

    select * from {{ ref('int_calendar_days') }}

),

pieces as (

    select
        contracts.contract_id,
        contracts.vendor,
        contracts.description,
        coalesce(contracts.team, 'unallocated') as x_team,
        contracts.currency as billing_currency,
        contracts.tbm_cost_pool,
        days.calendar_date as charge_date,
        contracts.contract_id as split_key,
        cast(days.calendar_date as string) as target_key,
        1.0 as weight,
        cast(contracts.total_amount as {{ type_money() }}) as amount
    from contracts
    inner join days
        on
            contracts.start_date <= days.calendar_date
            and contracts.end_date >= days.calendar_date

),

amortized as (

    {{ largest_remainder_split(
        'pieces',
        ['contract_id', 'vendor', 'description', 'x_team', 'billing_currency',
         'tbm_cost_pool', 'charge_date'],
        ['amount']
    ) }}

)

select * from amortized
