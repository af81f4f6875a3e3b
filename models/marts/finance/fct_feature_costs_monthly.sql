{#- One row per product, feature and month: the product's cost over days with
    metrics, split across its features by feature uses (exact to the cent,
    largest remainder), and the cost per feature use. The features' costs add
    up to the product's matched cost. -#}
with

products as (

    select
        x_product,
        charge_month,
        x_matched_cost_reporting
    from {{ ref('fct_unit_costs_monthly') }}
    where metric_days > 0

),

features as (

    select
        product as x_product,
        feature,
        cast({{ dbt.date_trunc('month', 'metric_date') }} as date) as charge_month,
        cast(sum(feature_usage_count) as bigint) as feature_uses
    from {{ ref('stg_telemetry__business_metrics') }}
    group by 1, 2, 3

),

pieces as (

    select
        products.x_product,
        products.charge_month,
        products.x_matched_cost_reporting,
        features.feature,
        features.feature_uses,
        products.x_product || '|' || cast(products.charge_month as string)
            as split_key,
        features.feature as target_key,
        features.feature_uses as weight
    from products
    inner join features
        on
            products.x_product = features.x_product
            and products.charge_month = features.charge_month
    where features.feature_uses > 0

),

split as (

    {{ largest_remainder_split(
        'pieces',
        ['x_product', 'charge_month', 'feature', 'feature_uses'],
        ['x_matched_cost_reporting']
    ) }}

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "x_product", "'|'", "feature", "'|'", "cast(charge_month as string)"
        ])) }} as feature_cost_monthly_id,

        ---------- strings
        x_product,
        feature,
        '{{ var("unit_cost_basis") }}' as cost_basis,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        feature_uses,
        cast(x_allocation_share as double) as feature_share,
        x_matched_cost_reporting as x_feature_cost_reporting,
        cast(
            x_matched_cost_reporting / nullif(feature_uses, 0)
            as {{ type_money() }}
        ) as x_cost_per_feature_use_reporting,

        ---------- dates
        charge_month

    from split

)

select * from final
