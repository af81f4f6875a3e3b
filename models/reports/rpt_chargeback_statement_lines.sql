{#- One row per chargeback statement line as finance reads it: the month, the
    cost center and its name, the team, service, charge category, the rule by
    id and by name, which cost basis is charged (seed chargeback_settings) and
    the charged amount rounded to the reporting currency's minor unit (two
    decimals for most). The lines of a statement are rounded together by the
    largest remainder: each line is its exact amount rounded down to the unit,
    and the units the rounding left over go one each to the lines with the
    largest remainders (ties: statement_line_id), so the lines add up to the
    statement's exact total rounded once, and no line is more than one unit
    off its exact amount. -#}
{%- set digits = currency_minor_units(var('reporting_currency')) -%}
{%- set per_unit = 10 ** digits -%}
with

lines as (

    select * from {{ ref('fct_chargeback_statement_lines') }}

),

settings as (

    select charged_cost_basis from {{ ref('chargeback_settings') }}

),

rule_names as (

    select * from {{ ref('statement_rule_names') }}

),

allocation_rules as (

    select * from {{ ref('allocation_rules') }}

),

charged as (

    select
        lines.*,
        settings.charged_cost_basis,
        case settings.charged_cost_basis
            when 'billed_cost' then lines.x_billed_cost_reporting
            else lines.x_effective_cost_reporting
        end as x_charged_cost_reporting
    from lines
    cross join settings

),

units as (

    select
        *,
        {#- The exact amount in units (cents), its floor and what is left. -#}
        floor(x_charged_cost_reporting * {{ per_unit }}) as floor_units,
        x_charged_cost_reporting * {{ per_unit }}
        - floor(x_charged_cost_reporting * {{ per_unit }}) as remainder_units,
        round(
            sum(x_charged_cost_reporting) over (partition by statement_id)
            * {{ per_unit }}
        ) as statement_units
    from charged

),

ranked as (

    select
        *,
        statement_units
        - sum(floor_units) over (partition by statement_id) as spare_units,
        row_number() over (
            partition by statement_id
            order by remainder_units desc, statement_line_id asc
        ) as remainder_rank
    from units

),

final as (

    select
        ---------- ids
        ranked.statement_id,
        ranked.statement_line_id,

        ---------- strings
        substr(cast(ranked.billing_month as string), 1, 7) as statement_month,
        ranked.x_cost_center as cost_center,
        ranked.cost_center_name,
        ranked.business_unit,
        ranked.x_team as team,
        ranked.service_name,
        ranked.charge_category,
        ranked.x_allocation_method as allocation_method,
        ranked.statement_rule_id as rule_id,
        coalesce(
            rule_names.rule_name,
            allocation_rules.description,
            case
                when ranked.x_allocation_method = 'kubernetes'
                    then
                        'Kubernetes: node cost of cluster '
                        || substr(ranked.statement_rule_id, 12)
                        || ' split by pod demand'
            end,
            ranked.statement_rule_id
        ) as rule_name,
        ranked.charged_cost_basis,
        ranked.x_reporting_currency as currency,

        ---------- numerics
        cast(
            (
                ranked.floor_units
                + case
                    when ranked.remainder_rank <= ranked.spare_units then 1 else 0
                end
            ) / {{ per_unit }} as decimal(38, 4)
        ) as charged_amount,
        {{ digits }} as currency_minor_units,
        ranked.x_charged_cost_reporting as charged_amount_exact,

        ---------- booleans
        ranked.is_charged_back,

        ---------- dates
        ranked.billing_month

    from ranked
    left join rule_names
        on ranked.statement_rule_id = rule_names.statement_rule_id
    left join allocation_rules
        on
            ranked.x_allocation_method in ('shared', 'unallocated')
            and ranked.statement_rule_id = allocation_rules.rule_id

)

select * from final
