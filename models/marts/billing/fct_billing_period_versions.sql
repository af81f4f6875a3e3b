{#- One row per billing slice (source, feed, billing account, billing period)
    and load that wrote it: its version, rows and billed cost before and after,
    and whether it restated a period, or reopened one already closed (the load
    came after the period's month ended). Finance reads the history of a
    restated month here; the fact holds the latest version only. -#}
with

history as (

    select * from {{ ref('stg_itfm_load__slice_history') }}
    where x_source in ('focus', 'aws_cur', 'azure_cost', 'gcp_billing')

),

versioned as (

    select
        history.*,
        cast(row_number() over (
            partition by history.x_source, history.slice_key
            order by history.replaced_at, history.load_id
        ) as bigint) as period_version,
        count(*) over (
            partition by history.x_source, history.slice_key
        ) as version_count
    from history

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "x_source", "'|'", "slice_key", "'|'", "load_id"
        ])) }} as period_version_id,
        load_id,
        billing_account_id,

        ---------- strings
        x_source,
        x_feed,
        slice_key,
        case
            when rows_before = 0 then 'initial'
            when
                {{ dbt.dateadd('month', 1, 'billing_period_start') }}
                <= cast(replaced_at as date)
                then 'closed_period_correction'
            else 'restatement'
        end as change_type,

        ---------- numerics
        period_version,
        rows_before,
        rows_after,
        billed_cost_before,
        billed_cost_after,
        cast(
            billed_cost_after - billed_cost_before as {{ type_money() }}
        ) as x_billed_cost_change,

        ---------- booleans
        period_version = version_count as is_latest_version,

        ---------- dates
        billing_period_start,

        ---------- timestamps
        replaced_at

    from versioned

)

select * from final
