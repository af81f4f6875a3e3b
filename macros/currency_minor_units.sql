{#- The digits after the decimal point of a currency's amounts (ISO 4217's
    minor unit): 0 for the yen or the won, 3 for the dinars of Bahrain, Iraq,
    Jordan, Kuwait, Libya and Tunisia and the Omani rial, 4 for Chile's unidad
    de fomento and Uruguay's unidad previsional, 2 for every other currency.
    A compile-time number: statements are rounded to it. -#}
{%- macro currency_minor_units(currency) -%}
    {%- set units = {
        'BIF': 0, 'CLP': 0, 'DJF': 0, 'GNF': 0, 'ISK': 0, 'JPY': 0, 'KMF': 0,
        'KRW': 0, 'PYG': 0, 'RWF': 0, 'UGX': 0, 'UYI': 0, 'VND': 0, 'VUV': 0,
        'XAF': 0, 'XOF': 0, 'XPF': 0,
        'BHD': 3, 'IQD': 3, 'JOD': 3, 'KWD': 3, 'LYD': 3, 'OMR': 3, 'TND': 3,
        'CLF': 4, 'UYW': 4
    } -%}
    {{- return(units.get(currency | upper, 2)) -}}
{%- endmacro -%}
