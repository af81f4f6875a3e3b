with

source as (

    select * from {{ source('reference', 'ecb_exchange_rates') }}

),

renamed as (

    select
        ---------- strings
        upper({{ clean_string('currency') }}) as currency,
        x_source_version,

        ---------- numerics
        cast(units_per_eur as decimal(18, 8)) as units_per_eur,

        ---------- dates
        cast(rate_date as date) as rate_date

    from source

)

select * from renamed
