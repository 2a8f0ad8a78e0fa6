-- The "Chinese tech seven" candidates against the US Magnificent Seven, in USD, on one common
-- date: the earlier of the two baskets' latest dates (Chinese data ends before US data). Each
-- company is taken at its last observation on or before that date; the return runs from its last
-- observation of the previous year. Every candidate of the tech_seven_candidates seed has a row,
-- with its tier; one without a value says why (value_status): not listed (ByteDance, Huawei) or
-- no market value data (no share count in the snapshot for NetEase, PDD, JD.com).
with companies as (
    select
        *,
        case
            when is_tech_seven_candidate then 'china_tech_seven_candidates'
            when is_us_magnificent_seven then 'us_magnificent_seven'
        end as basket
    from {{ ref('dim_company') }}
    where is_tech_seven_candidate or is_us_magnificent_seven
),

company_values as (
    select
        company_values.*,
        companies.basket
    from {{ ref('fct_company_market_cap_daily') }} as company_values
    inner join companies on company_values.company_id = companies.company_id
),

comparison_date as (
    select min(latest) as as_of_date
    from (
        select max(trade_date) as latest from company_values
        group by basket
    ) as basket_latest
),

latest as (
    select company_values.*
    from company_values
    cross join comparison_date
    where company_values.trade_date <= comparison_date.as_of_date
    qualify row_number() over (
        partition by company_values.company_id order by company_values.trade_date desc
    ) = 1
),

previous_year_end as (
    select company_values.*
    from company_values
    cross join comparison_date
    where year(company_values.trade_date) < year(comparison_date.as_of_date)
    qualify row_number() over (
        partition by company_values.company_id order by company_values.trade_date desc
    ) = 1
)

select
    companies.basket,
    companies.company_id,
    companies.name_en,
    companies.tech_seven_tier as candidate_tier,
    companies.is_listed,
    case
        when latest.market_cap_usd is not null then 'valued'
        when not companies.is_listed then 'unlisted'
        else 'no_market_value_data'
    end as value_status,
    comparison_date.as_of_date,
    latest.trade_date as value_date,
    latest.market_cap_usd,
    sum(latest.market_cap_usd) over (partition by companies.basket) as basket_market_cap_usd,
    previous_year_end.trade_date as return_start_date,
    round((latest.market_cap_usd / previous_year_end.market_cap_usd - 1) * 100, 4)
        as return_pct,
    round(
        (
            sum(latest.market_cap_usd) filter (where previous_year_end.market_cap_usd is not null)
                over (partition by companies.basket)
            / sum(previous_year_end.market_cap_usd) over (partition by companies.basket)
            - 1
        ) * 100,
        4
    ) as basket_return_pct,
    latest.is_derived
from companies
cross join comparison_date
left join latest on companies.company_id = latest.company_id
left join previous_year_end on companies.company_id = previous_year_end.company_id
