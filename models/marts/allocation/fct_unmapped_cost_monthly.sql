{#- Unmapped cost per billing month, provider and billing account: cost no tag,
    inventory entry, sub-account mapping or rule attributed to an owner, before
    shared pools spread anything (target: var unmapped_cost_target_pct). -#}
with

line_items as (

    {#- The line items summed per day, owner and attribution method
        (int_line_item_totals_daily), not one row each: the same sums. -#}
    select * from {{ ref('int_line_item_totals_daily') }}

),

monthly as (

    select
        billing_month,
        provider_name,
        billing_account_id,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(
            case
                when x_attribution_method = 'unmapped'
                    then x_effective_cost_reporting
                else 0
            end
        ) as x_unmapped_effective_cost_reporting,
        cast(sum(line_items) as bigint) as line_items,
        cast(
            sum(case when x_attribution_method = 'unmapped' then line_items else 0 end)
            as bigint
        ) as unmapped_line_items
    from line_items
    group by 1, 2, 3

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cast(billing_month as string)", "'|'", "provider_name", "'|'",
            "billing_account_id"
        ])) }} as unmapped_cost_id,
        billing_account_id,

        ---------- strings
        provider_name,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        x_effective_cost_reporting,
        x_unmapped_effective_cost_reporting,
        line_items,
        unmapped_line_items,
        cast(
            100.0 * x_unmapped_effective_cost_reporting
            / nullif(x_effective_cost_reporting, 0) as decimal(9, 4)
        ) as unmapped_cost_pct,
        cast({{ var('unmapped_cost_target_pct') }} as decimal(9, 4))
            as unmapped_cost_target_pct,

        ---------- booleans
        coalesce(
            100.0 * x_unmapped_effective_cost_reporting
            / nullif(x_effective_cost_reporting, 0)
            > {{ var('unmapped_cost_target_pct') }},
            false
        ) as is_above_target,

        ---------- dates
        billing_month

    from monthly

)

select * from final
