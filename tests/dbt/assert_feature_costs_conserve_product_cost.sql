{#- Splitting a product's cost over its features keeps it to the last
    decimal: per product and month, the features' costs add up to the
    product's matched cost (products with feature uses). -#}
with

products as (

    select
        x_product,
        charge_month,
        x_matched_cost_reporting
    from {{ ref('fct_unit_costs_monthly') }}
    where metric_days > 0 and feature_uses > 0

),

features as (

    select
        x_product,
        charge_month,
        sum(x_feature_cost_reporting) as x_feature_cost_reporting
    from {{ ref('fct_feature_costs_monthly') }}
    group by 1, 2

)

select
    products.x_product,
    products.charge_month,
    products.x_matched_cost_reporting,
    features.x_feature_cost_reporting
from products
full outer join features
    on
        products.x_product = features.x_product
        and products.charge_month = features.charge_month
where
    coalesce(products.x_matched_cost_reporting, 0)
    != coalesce(features.x_feature_cost_reporting, 0)
