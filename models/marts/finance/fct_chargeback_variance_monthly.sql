{#- One row per cost center and month with a general-ledger posting or a
    charged-back statement: allocated cost (the statement) against what
    finance posted to the GL (seed gl_chargeback_postings), the variance in
    currency and percent, and whether it is within the KPI M14 threshold
    (seed kpi_targets). -#}
with

statements as (

    select * from {{ ref('fct_chargeback_statements_monthly') }}
    where is_charged_back

),

postings as (

    select
        cost_center,
        posting_month,
        currency,
        sum(posted_amount) as posted_amount,
        count(*) as postings
    from {{ ref('gl_chargeback_postings') }}
    group by 1, 2, 3

),

threshold as (

    select target_high as variance_threshold
    from {{ ref('kpi_targets') }}
    where kpi_id = 'M14'

),

joined as (

    select
        coalesce(statements.x_cost_center, postings.cost_center) as x_cost_center,
        coalesce(statements.billing_month, postings.posting_month)
            as billing_month,
        coalesce(postings.currency, statements.x_reporting_currency)
            as x_reporting_currency,
        coalesce(statements.x_effective_cost_reporting, 0)
            as x_allocated_cost_reporting,
        postings.posted_amount,
        coalesce(postings.postings, 0) as postings
    from statements
    full outer join postings
        on
            statements.x_cost_center = postings.cost_center
            and statements.billing_month = postings.posting_month

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "joined.x_cost_center", "'|'", "cast(joined.billing_month as string)"
        ])) }} as chargeback_variance_id,
        joined.x_cost_center,

        ---------- strings
        joined.x_reporting_currency,
        case
            when joined.posted_amount is null then 'not_posted'
            when
                abs(joined.x_allocated_cost_reporting - joined.posted_amount)
                <= threshold.variance_threshold * abs(joined.posted_amount)
                then 'within_threshold'
            else 'above_threshold'
        end as variance_status,

        ---------- numerics
        joined.postings,
        joined.x_allocated_cost_reporting,
        cast(joined.posted_amount as {{ type_money() }}) as x_posted_cost_reporting,
        joined.x_allocated_cost_reporting - joined.posted_amount
            as x_variance_reporting,
        cast(
            (joined.x_allocated_cost_reporting - joined.posted_amount)
            / nullif(joined.posted_amount, 0) as double
        ) as variance_ratio,
        threshold.variance_threshold,

        ---------- dates
        joined.billing_month

    from joined
    cross join threshold

)

select * from final
