{#- Every line item with an owner and the method that found it, first that
    applies: tags -> resource inventory -> sub-account mapping -> ordered
    pattern rules -> unmapped. -#}
with

line_items as (

    select
        x_line_item_id,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        resource_id,
        resource_name,
        provider_name,
        service_name,
        service_category,
        service_subcategory,
        region_id,
        charge_category,
        commitment_discount_status,
        billing_currency,
        tags,
        billed_cost,
        effective_cost,
        x_exchange_rate,
        x_effective_cost_reporting,
        cast(billing_period_start as date) as billing_month,
        cast(charge_period_start as date) as charge_date
    from {{ ref('fct_billing_line_items') }}

),

tag_sets as (

    select * from {{ ref('int_tag_sets_attributed') }}

),

inventory as (

    select * from {{ ref('resource_inventory') }}

),

sub_accounts as (

    select * from {{ ref('sub_account_owners') }}

),

rules as (

    select * from {{ ref('attribution_rules') }}

),

teams as (

    select * from {{ ref('teams') }}

),

known_owner as (

    select
        line_items.*,
        tag_sets.tag_team,
        tag_sets.tag_cost_center,
        tag_sets.tag_product,
        tag_sets.tag_kubernetes_cluster,
        inventory.team as inventory_team,
        sub_accounts.team as sub_account_team,
        coalesce(
            tag_sets.tag_environment,
            inventory.environment,
            sub_accounts.environment
        ) as x_environment
    from line_items
    left join tag_sets
        on line_items.tags = tag_sets.tags
    left join inventory
        on line_items.resource_id = inventory.resource_id
    left join sub_accounts
        on
            line_items.provider_name = sub_accounts.provider_name
            and line_items.sub_account_id = sub_accounts.sub_account_id

),

rule_candidates as (

    {#- Patterns are tried only where no earlier step found an owner. -#}
    select
        known_owner.x_line_item_id,
        arg_min(rules.team, rules.rule_order) as rule_team,
        arg_min(rules.rule_id, rules.rule_order) as rule_id
    from known_owner
    inner join rules
        on regexp_matches(
            case rules.match_column
                when 'resource_name' then known_owner.resource_name
                when 'resource_id' then known_owner.resource_id
                when 'service_name' then known_owner.service_name
                when 'sub_account_name' then known_owner.sub_account_name
                when 'sub_account_id' then known_owner.sub_account_id
                when 'billing_account_id' then known_owner.billing_account_id
                when 'provider_name' then known_owner.provider_name
            end,
            rules.pattern
        )
    where
        known_owner.tag_team is null
        and known_owner.inventory_team is null
        and known_owner.sub_account_team is null
    group by 1

),

attributed as (

    select
        known_owner.*,
        rule_candidates.rule_id as x_attribution_rule_id,
        coalesce(
            known_owner.tag_team,
            known_owner.inventory_team,
            known_owner.sub_account_team,
            rule_candidates.rule_team,
            'unmapped'
        ) as x_team,
        case
            when known_owner.tag_team is not null then 'tag'
            when known_owner.inventory_team is not null then 'inventory'
            when known_owner.sub_account_team is not null then 'sub_account'
            when rule_candidates.rule_team is not null then 'rule'
            else 'unmapped'
        end as x_attribution_method
    from known_owner
    left join rule_candidates
        on known_owner.x_line_item_id = rule_candidates.x_line_item_id

),

with_team_defaults as (

    select
        attributed.*,
        teams.team is not null as is_known_team,
        coalesce(attributed.tag_cost_center, teams.cost_center) as x_cost_center,
        coalesce(attributed.tag_product, teams.default_product) as x_product
    from attributed
    left join teams
        on attributed.x_team = teams.team

)

select * from with_team_defaults
