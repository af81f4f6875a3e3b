{#- General-ledger IT costs (labor, hardware, software, facilities, telecom)
    mapped through the TBM model: cost pool -> tower -> solution -> consuming
    team, each step an exact split by the seeds' weights. Contracts join the
    same path through their cost pool when they have no consuming team. -#}
with

gl_lines as (

    select * from {{ ref('gl_lines') }}

),

contracts as (

    select * from {{ ref('int_contracts_amortized_daily') }}
    where x_team = 'unallocated'

),

pool_towers as (

    select * from {{ ref('tbm_cost_pool_towers') }}

),

tower_solutions as (

    select * from {{ ref('tbm_tower_solutions') }}

),

solution_consumers as (

    select * from {{ ref('tbm_solution_consumers') }}

),

costs as (

    select
        gl_line_id as cost_id,
        'general_ledger' as spend_type,
        description,
        tbm_cost_pool,
        currency as billing_currency,
        cast(posting_month as date) as billing_month,
        cast(amount as {{ type_money() }}) as amount
    from gl_lines

    union all

    select
        contract_id || ':'
        || cast(cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as string)
            as cost_id,
        'contract' as spend_type,
        any_value(description) as description,
        any_value(tbm_cost_pool) as tbm_cost_pool,
        any_value(billing_currency) as billing_currency,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as billing_month,
        sum(amount) as amount
    from contracts
    group by
        contract_id,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date)

),

tower_pieces as (

    select
        costs.*,
        costs.cost_id as split_key,
        pool_towers.tbm_tower as target_key,
        cast(pool_towers.weight as double) as weight
    from costs
    inner join pool_towers
        on costs.tbm_cost_pool = pool_towers.tbm_cost_pool

),

towers as (

    {{ largest_remainder_split(
        'tower_pieces',
        ['cost_id', 'spend_type', 'description', 'tbm_cost_pool',
         'billing_currency', 'billing_month', 'target_key as tbm_tower',
         'cost_id || \'>\' || target_key as tower_key'],
        ['amount']
    ) }}

),

solution_pieces as (

    select
        towers.cost_id,
        towers.spend_type,
        towers.description,
        towers.tbm_cost_pool,
        towers.billing_currency,
        towers.billing_month,
        towers.tbm_tower,
        towers.tower_key,
        towers.amount,
        towers.tower_key as split_key,
        tower_solutions.solution as target_key,
        cast(tower_solutions.weight as double) as weight
    from towers
    inner join tower_solutions
        on towers.tbm_tower = tower_solutions.tbm_tower

),

solutions as (

    {{ largest_remainder_split(
        'solution_pieces',
        ['cost_id', 'spend_type', 'description', 'tbm_cost_pool',
         'billing_currency', 'billing_month', 'tbm_tower',
         'target_key as tbm_solution',
         'tower_key || \'>\' || target_key as solution_key'],
        ['amount']
    ) }}

),

consumer_pieces as (

    select
        solutions.cost_id,
        solutions.spend_type,
        solutions.description,
        solutions.tbm_cost_pool,
        solutions.billing_currency,
        solutions.billing_month,
        solutions.tbm_tower,
        solutions.tbm_solution,
        solutions.solution_key,
        solutions.amount,
        solutions.solution_key as split_key,
        solution_consumers.team as target_key,
        cast(solution_consumers.weight as double) as weight
    from solutions
    inner join solution_consumers
        on solutions.tbm_solution = solution_consumers.solution

),

consumers as (

    {{ largest_remainder_split(
        'consumer_pieces',
        ['cost_id', 'spend_type', 'description', 'tbm_cost_pool',
         'billing_currency', 'billing_month', 'tbm_tower', 'tbm_solution',
         'target_key as x_team',
         'solution_key || \'>\' || target_key as x_allocation_id'],
        ['amount']
    ) }}

)

select * from consumers
