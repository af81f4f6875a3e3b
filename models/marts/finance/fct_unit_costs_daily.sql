{#- One row per product and day: product cost (cost basis: var
    `unit_cost_basis`, effective = amortized by default, or billed) against
    transactions and active users. A missing or zero denominator gives a NULL
    unit cost and says why, never an error or an infinity. -#}
with

costs as (

    select
        coalesce(x_product, 'unassigned') as x_product,
        charge_date,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting
    from {{ ref('fct_cost_daily_by_owner') }}
    group by 1, 2

),

metrics as (

    select
        product as x_product,
        metric_date as charge_date,
        cast(sum(transactions) as bigint) as transactions,
        {#- every feature row of a product repeats the product's users -#}
        max(active_users) as active_users,
        cast(sum(feature_usage_count) as bigint) as feature_uses
    from {{ ref('stg_telemetry__business_metrics') }}
    group by 1, 2

),

joined as (

    select
        coalesce(costs.x_product, metrics.x_product) as x_product,
        coalesce(costs.charge_date, metrics.charge_date) as charge_date,
        coalesce(costs.x_effective_cost_reporting, 0) as x_effective_cost_reporting,
        coalesce(costs.x_billed_cost_reporting, 0) as x_billed_cost_reporting,
        metrics.transactions,
        metrics.active_users,
        metrics.feature_uses,
        metrics.x_product is not null as has_business_metrics
    from costs
    full outer join metrics
        on
            costs.x_product = metrics.x_product
            and costs.charge_date = metrics.charge_date

),

based as (

    select
        *,
        {% if var('unit_cost_basis') == 'billed' -%}
            x_billed_cost_reporting
        {%- else -%}
            x_effective_cost_reporting
        {%- endif %} as x_unit_cost_basis_reporting
    from joined

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "x_product", "'|'", "cast(charge_date as string)"
        ])) }} as unit_cost_daily_id,

        ---------- strings
        x_product,
        '{{ var("unit_cost_basis") }}' as cost_basis,
        '{{ var("reporting_currency") }}' as x_reporting_currency,
        {{ unit_cost_null_reason(
            'has_business_metrics', 'transactions', 'transactions'
        ) }} as cost_per_transaction_null_reason,
        {{ unit_cost_null_reason(
            'has_business_metrics', 'active_users', 'active users'
        ) }} as cost_per_active_user_null_reason,

        ---------- numerics
        x_effective_cost_reporting,
        x_billed_cost_reporting,
        x_unit_cost_basis_reporting,
        transactions,
        active_users,
        feature_uses,
        cast(
            x_unit_cost_basis_reporting / nullif(transactions, 0)
            as {{ type_money() }}
        ) as x_cost_per_transaction_reporting,
        cast(
            x_unit_cost_basis_reporting / nullif(active_users, 0)
            as {{ type_money() }}
        ) as x_cost_per_active_user_reporting,

        ---------- booleans
        has_business_metrics,

        ---------- dates
        charge_date,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month

    from based

)

select * from final
