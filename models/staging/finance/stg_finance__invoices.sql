with

source as (

    select * from {{ source('finance', 'invoices') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_string('invoice_id') }} as invoice_id,
        {{ clean_string('billing_account_id') }} as billing_account_id,

        ---------- strings
        {{ clean_string('provider_name') }} as provider_name,
        upper({{ clean_string('currency') }}) as billing_currency,
        lower({{ clean_string('status') }}) as invoice_status,

        ---------- numerics
        invoice_total,

        ---------- booleans
        lower({{ clean_string('status') }}) = 'final' as is_final,

        ---------- dates
        billing_period_start

    from source

)

select * from renamed
