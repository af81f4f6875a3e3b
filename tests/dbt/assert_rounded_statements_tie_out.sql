{#- The finance-shaped statement lines (rpt_chargeback_statement_lines) are the
    statement lines one for one, each with its charged basis's exact amount; a
    statement's rounded lines add up to its exact total rounded once to the
    reporting currency's minor unit, and no line is a whole unit off. -#}
{%- set digits = currency_minor_units(var('reporting_currency')) -%}
with

rounded as (

    select * from {{ ref('rpt_chargeback_statement_lines') }}

),

lines as (

    select * from {{ ref('fct_chargeback_statement_lines') }}

),

settings as (

    select charged_cost_basis from {{ ref('chargeback_settings') }}

),

unmatched as (

    select
        coalesce(rounded.statement_id, lines.statement_id) as statement_id,
        'line not one for one with its charged basis' as failure
    from rounded
    full outer join lines
        on rounded.statement_line_id = lines.statement_line_id
    cross join settings
    where
        rounded.statement_line_id is null
        or lines.statement_line_id is null
        or rounded.charged_amount_exact != case settings.charged_cost_basis
            when 'billed_cost' then lines.x_billed_cost_reporting
            else lines.x_effective_cost_reporting
        end

),

statements as (

    select
        statement_id,
        sum(charged_amount) as charged_amount,
        round(sum(charged_amount_exact), {{ digits }}) as exact_total_rounded,
        max(abs(charged_amount - charged_amount_exact)) as worst_line_error
    from rounded
    group by 1

),

off as (

    select
        statement_id,
        'rounded lines do not add up to the rounded total' as failure
    from statements
    where
        charged_amount != exact_total_rounded
        or worst_line_error >= {{ 10 ** (0 - digits) }}

)

select * from unmatched
union all
select * from off
