{#- Each contract's daily amounts add up to its total, exactly. -#}
select
    contracts.contract_id,
    contracts.total_amount,
    sum(amortized.amount) as amortized_amount
from {{ ref('contracts') }} as contracts
left join {{ ref('int_contracts_amortized_daily') }} as amortized
    on contracts.contract_id = amortized.contract_id
group by 1, 2
having sum(amortized.amount) is distinct from contracts.total_amount
