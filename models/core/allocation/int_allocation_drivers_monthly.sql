{#- Every allocation driver's value per team and billing month. -#}
with

line_items as (

    select * from {{ ref('int_line_items_attributed') }}

),

teams as (

    select * from {{ ref('teams') }}

),

k8s_shares as (

    select * from {{ ref('int_k8s_cluster_shares_daily') }}

),

business_metrics as (

    select * from {{ ref('stg_telemetry__business_metrics') }}

),

observability as (

    select * from {{ ref('stg_telemetry__observability_usages') }}

),

ci_builds as (

    select * from {{ ref('stg_telemetry__ci_builds') }}

),

months as (

    select distinct billing_month from line_items

),

effective_cost as (

    select
        billing_month,
        x_team as team,
        'effective_cost' as driver,
        cast(sum(x_effective_cost_reporting) as double) as driver_value
    from line_items
    where is_known_team
    group by 1, 2

),

cpu_hours as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        x_team as team,
        'cpu_hours' as driver,
        cast(sum(cpu_core_hours) as double) as driver_value
    from k8s_shares
    where x_team != 'idle'
    group by 1, 2

),

product_transactions as (

    select
        cast({{ dbt.date_trunc('month', 'metric_date') }} as date) as billing_month,
        product,
        sum(transactions) as transaction_count
    from business_metrics
    group by 1, 2

),

transactions as (

    {#- A product's transactions are shared evenly by the teams building it. -#}
    select
        product_transactions.billing_month,
        teams.team,
        'transactions' as driver,
        product_transactions.transaction_count
        / count(*) over (
            partition by
                product_transactions.billing_month,
                product_transactions.product
        ) as driver_value
    from product_transactions
    inner join teams
        on product_transactions.product = teams.default_product

),

headcount as (

    select
        months.billing_month,
        teams.team,
        'headcount' as driver,
        cast(teams.headcount as double) as driver_value
    from months
    cross join teams

),

observability_gb as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        team,
        'observability_gb' as driver,
        cast(sum(cast(ingested_gb as decimal(38, 6))) as double) as driver_value
    from observability
    group by 1, 2

),

ci_minutes as (

    select
        cast({{ dbt.date_trunc('month', 'started_at') }} as date) as billing_month,
        team,
        'ci_minutes' as driver,
        cast(sum(billable_minutes) as double) as driver_value
    from ci_builds
    group by 1, 2

),

unioned as (

    select * from effective_cost
    union all
    select * from cpu_hours
    union all
    select * from transactions
    union all
    select * from headcount
    union all
    select * from observability_gb
    union all
    select * from ci_minutes

)

select * from unioned
where team is not null
