{%- macro ratio(numerator, denominator) -%}
{#- numerator / denominator in double precision, on every engine. DuckDB
    divides two decimals in double; Spark divides them as decimals, rounded
    to another scale, so a share cast back to decimal(18, 12) differed in its
    last digit between the engines. Cast the result to the type wanted. -#}
(cast({{ numerator }} as double) / cast({{ denominator }} as double))
{%- endmacro %}
