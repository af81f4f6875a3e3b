{#-
    The normalized cost fact: one row per loaded billing line item, in FOCUS 1.2
    columns (snake_case), with normalized tags, lineage, reporting-currency
    amounts and its owner. Written once; everything downstream reads it.
    The owner (x_team) is the first attribution step that applies: tags ->
    resource inventory -> sub-account mapping -> ordered pattern rules ->
    unmapped (x_attribution_method says which). It is found here, in the same
    pass that writes the fact, so that the line items are not written a second
    time for their owners (int_line_items_attributed is a view of this table).
    Incremental by billing period: a period any of whose rows was loaded after
    the newest load this table holds (a new or restated slice of any source),
    or one of whose slices a later load restated to no rows
    (int_billing_slices_emptied), is rebuilt whole, from every source (the
    pre-hook deletes it, the statement inserts what is left of it); other
    periods are not read or written. Edits to seeds that change past rows
    (charge types, services, exchange rates, tag keys, the attribution seeds)
    need `dbt build --full-refresh`.
-#}
-- depends_on: {{ ref('focus_allowed_values') }}
-- depends_on: {{ ref('int_billing_slices_emptied') }}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTEs.)
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_periods_to_rebuild(
        ref('int_billing_line_items'), 'billing_period_start'
    ) }}",
    **incremental_by_period('billing_period_start')
) }}
{#- The periods to rebuild, read before the statement (literals, so that the
    filter reaches each provider's scan under int_billing_line_items). -#}
{%- set changed_periods = periods_loaded_since_built_filter(
    ref('int_billing_line_items'), 'billing_period_start'
) if is_incremental() else '' %}

with

line_items as (

    select * from {{ ref('int_billing_line_items') }}
    {%- if is_incremental() %}
        where {{ changed_periods }}
    {%- endif %}

),

key_line_items as (

    {#- The same line items, read a second time for the attribution keys. -#}
    select * from {{ ref('int_billing_line_items') }}
    {%- if is_incremental() %}
        where {{ changed_periods }}
    {%- endif %}

),

tag_sets as (

    select * from {{ ref('int_tag_sets_parsed') }}

),

exchange_rates as (

    select * from {{ ref('int_exchange_rates_daily') }}

),

line_items_enriched as (

    select
        line_items.*,
        tag_sets.x_tags,
        coalesce(tag_sets.x_tag_count, 0) as x_tag_count,
        coalesce(tag_sets.x_is_tags_valid, true) as x_is_tags_valid,
        coalesce(tag_sets.x_has_tag_key_collision, false)
            as x_has_tag_key_collision,
        '{{ var("reporting_currency") }}' as x_reporting_currency,
        {#- A rate the provider supplied on the row (USD per unit of the billing
            currency) wins over the exchange_rates seed. -#}
        case
            when line_items.billing_currency = '{{ var("reporting_currency") }}'
                then cast(1 as decimal(18, 8))
            when
                line_items.x_provider_usd_exchange_rate is not null
                and '{{ var("reporting_currency") }}' = 'USD'
                then cast(line_items.x_provider_usd_exchange_rate as decimal(18, 8))
            when line_items.x_provider_usd_exchange_rate is not null
                then cast(
                    line_items.x_provider_usd_exchange_rate * usd_rates.exchange_rate
                    as decimal(18, 8)
                )
            else exchange_rates.exchange_rate
        end as x_exchange_rate
    from line_items
    left join tag_sets
        on line_items.tags = tag_sets.tags
    left join exchange_rates
        on
            line_items.billing_currency = exchange_rates.from_currency
            and cast(line_items.charge_period_start as date)
            = exchange_rates.rate_date
    left join exchange_rates as usd_rates
        on
            line_items.x_provider_usd_exchange_rate is not null
            and usd_rates.from_currency = 'USD'
            and cast(line_items.charge_period_start as date) = usd_rates.rate_date

),

tag_owners as (

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
        line_items_enriched.*,
        tag_owners.tag_team,
        tag_owners.tag_cost_center,
        tag_owners.tag_product,
        tag_owners.tag_kubernetes_cluster,
        inventory.team as inventory_team,
        sub_accounts.team as sub_account_team,
        coalesce(
            tag_owners.tag_environment,
            inventory.environment,
            sub_accounts.environment
        ) as x_environment
    from line_items_enriched
    left join tag_owners
        on line_items_enriched.tags = tag_owners.tags
    left join inventory
        on line_items_enriched.resource_id = inventory.resource_id
    left join sub_accounts
        on
            line_items_enriched.provider_name = sub_accounts.provider_name
            and line_items_enriched.sub_account_id = sub_accounts.sub_account_id

),

unowned_keys as (

    {#- Patterns are tried only where no earlier step found an owner, once per
        distinct combination of the columns they can match (not per line item:
        at 9 million line items, matching each row took 12 s a read). The
        combinations come from a second, narrow read of the line items, not
        from known_owner: a CTE that two others read is materialized whole
        (on DuckDB: 11 GB of wide rows spilled at 9 million line items, half
        of this model's time). -#}
    select distinct
        key_line_items.resource_name,
        key_line_items.resource_id,
        key_line_items.service_name,
        key_line_items.sub_account_name,
        key_line_items.sub_account_id,
        key_line_items.billing_account_id,
        key_line_items.provider_name
    from key_line_items
    left join tag_owners
        on key_line_items.tags = tag_owners.tags
    left join inventory
        on key_line_items.resource_id = inventory.resource_id
    left join sub_accounts
        on
            key_line_items.provider_name = sub_accounts.provider_name
            and key_line_items.sub_account_id = sub_accounts.sub_account_id
    where
        tag_owners.tag_team is null
        and inventory.team is null
        and sub_accounts.team is null

),

rule_candidates as (

    select
        unowned_keys.resource_name,
        unowned_keys.resource_id,
        unowned_keys.service_name,
        unowned_keys.sub_account_name,
        unowned_keys.sub_account_id,
        unowned_keys.billing_account_id,
        unowned_keys.provider_name,
        min_by(rules.team, rules.rule_order) as rule_team,
        min_by(rules.rule_id, rules.rule_order) as rule_id
    from unowned_keys
    inner join rules
        on {{ matches_pattern(
            "case rules.match_column
                when 'resource_name' then unowned_keys.resource_name
                when 'resource_id' then unowned_keys.resource_id
                when 'service_name' then unowned_keys.service_name
                when 'sub_account_name' then unowned_keys.sub_account_name
                when 'sub_account_id' then unowned_keys.sub_account_id
                when 'billing_account_id' then unowned_keys.billing_account_id
                when 'provider_name' then unowned_keys.provider_name
            end",
            'rules.pattern'
        ) }}
    group by 1, 2, 3, 4, 5, 6, 7

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
        on
            known_owner.tag_team is null
            and known_owner.inventory_team is null
            and known_owner.sub_account_team is null
            and known_owner.resource_name
            is not distinct from rule_candidates.resource_name
            and known_owner.resource_id
            is not distinct from rule_candidates.resource_id
            and known_owner.service_name
            is not distinct from rule_candidates.service_name
            and known_owner.sub_account_name
            is not distinct from rule_candidates.sub_account_name
            and known_owner.sub_account_id
            is not distinct from rule_candidates.sub_account_id
            and known_owner.billing_account_id
            is not distinct from rule_candidates.billing_account_id
            and known_owner.provider_name
            is not distinct from rule_candidates.provider_name

),

owned as (

    select
        attributed.*,
        teams.team is not null as x_is_known_team,
        coalesce(attributed.tag_cost_center, teams.cost_center) as x_cost_center,
        coalesce(attributed.tag_product, teams.default_product) as x_product
    from attributed
    left join teams
        on attributed.x_team = teams.team

),

final as (

    select
        ---------- ids
        x_line_item_id,
        billing_account_id,
        sub_account_id,
        invoice_id,
        resource_id,
        sku_id,
        sku_price_id,
        commitment_discount_id,
        capacity_reservation_id,
        region_id,

        ---------- strings
        billing_account_name,
        billing_account_type,
        sub_account_name,
        sub_account_type,
        billing_currency,
        pricing_currency,
        provider_name,
        publisher_name,
        invoice_issuer_name,
        charge_category,
        charge_class,
        charge_description,
        charge_frequency,
        pricing_category,
        pricing_unit,
        consumed_unit,
        service_name,
        service_category,
        service_subcategory,
        region_name,
        availability_zone,
        resource_name,
        resource_type,
        sku_meter,
        sku_price_details,
        commitment_discount_category,
        commitment_discount_name,
        commitment_discount_status,
        commitment_discount_type,
        commitment_discount_unit,
        capacity_reservation_status,
        tags,
        x_tags,
        x_reporting_currency,
        x_source,
        x_feed,
        x_source_file,
        x_file_hash,
        x_load_id,
        x_focus_version,
        x_extra_columns,
        {{ data_quality_issues() }} as x_data_quality_issues,
        x_team,
        x_attribution_method,
        x_attribution_rule_id,
        x_environment,
        x_cost_center,
        x_product,
        tag_team as x_tag_team,
        tag_cost_center as x_tag_cost_center,
        tag_product as x_tag_product,
        tag_kubernetes_cluster as x_kubernetes_cluster,

        ---------- numerics
        billed_cost,
        effective_cost,
        list_cost,
        contracted_cost,
        pricing_currency_effective_cost,
        list_unit_price,
        contracted_unit_price,
        pricing_currency_list_unit_price,
        pricing_currency_contracted_unit_price,
        pricing_quantity,
        consumed_quantity,
        commitment_discount_quantity,
        x_amortized_upfront_cost,
        x_exchange_rate,
        cast(billed_cost * x_exchange_rate as {{ type_money() }})
            as x_billed_cost_reporting,
        cast(effective_cost * x_exchange_rate as {{ type_money() }})
            as x_effective_cost_reporting,
        x_tag_count,
        x_source_row,
        x_source_line,

        ---------- booleans
        x_is_tags_valid,
        x_is_known_team,

        ---------- timestamps
        billing_period_start,
        billing_period_end,
        charge_period_start,
        charge_period_end,
        x_loaded_at

    from owned

)

select * from final
