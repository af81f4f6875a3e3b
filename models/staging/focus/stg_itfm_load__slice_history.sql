{#- Every slice replacement the loader recorded, with the slice key split
    into its feed, billing account and billing period (billing sources) or
    left whole (telemetry). -#}
with

source as (

    select * from {{ source('itfm_load', 'load_slice_history') }}

),

renamed as (

    select
        ---------- ids
        load_id,
        slice_key,
        {{ dbt.split_part('slice_key', "'|'", 2) }} as billing_account_id,

        ---------- strings
        source as x_source,
        {{ dbt.split_part('slice_key', "'|'", 1) }} as x_feed,
        {{ dbt.split_part('slice_key', "'|'", 3) }} as x_billing_period_text,

        ---------- numerics
        rows_before,
        rows_after,
        billed_cost_before,
        billed_cost_after,

        ---------- timestamps
        replaced_at

    from source

),

final as (

    select
        *,
        {#- Periods arrive as timestamps, dates or a Google invoice month
            (YYYYMM). -#}
        case
            when length(x_billing_period_text) = 6
                then {{ dbt.safe_cast(dbt.concat([
                    "substr(x_billing_period_text, 1, 4)", "'-'",
                    "substr(x_billing_period_text, 5, 2)", "'-01'"
                ]), api.Column.translate_type('date')) }}
            else {{ dbt.safe_cast(
                'substr(x_billing_period_text, 1, 10)',
                api.Column.translate_type('date')
            ) }}
        end as billing_period_start
    from renamed

)

select * from final
