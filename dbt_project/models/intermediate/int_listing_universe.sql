-- Every listing that appears in any landed dataset, one row per listing: the per-listing
-- histories (A shares, Hong Kong, US) and the daily whole-market quotes (A, HK, US), plus every
-- row of the listings seed (a seeded listing with no data yet is kept, with no dates). Nothing
-- is dropped: a listing no seed names becomes its own company.
-- What the data says: market, symbol, exchange (from the code, or eastmoney's market id for US
-- tickers the seed does not know), currency, the latest Chinese name (名称 of the quotes), where
-- and when the listing was seen. What only the seed says: which listings form one company (A+H,
-- ADRs), which of them counts toward it, and the share class beyond A.
-- A table (dbt_project.yml) that every update rebuilds with the foundation, so a listing first
-- quoted that day is in it.
{#- Each dataset a listing can be seen in: its market, staging model, and whether its rows carry
    the Chinese name (the quotes' 名称) and eastmoney's US market id. -#}
{% set datasets = [
    {'market': 'a_share', 'model': 'stg_a_share__market_value', 'name': 'stock_value_em'},
    {'market': 'hong_kong', 'model': 'stg_hk__market_value', 'name': 'stock_hk_valuation_baidu'},
    {'market': 'hong_kong', 'model': 'stg_hk__prices', 'name': 'stock_hk_hist'},
    {'market': 'us', 'model': 'stg_us__market_value', 'name': 'stock_us_valuation_baidu'},
    {'market': 'us', 'model': 'stg_us__prices', 'name': 'stock_us_hist'},
    {'market': 'a_share', 'model': 'stg_a_share__spot', 'name': 'stock_zh_a_spot_em',
     'named': true},
    {'market': 'hong_kong', 'model': 'stg_hk__spot', 'name': 'stock_hk_spot_em', 'named': true},
    {'market': 'us', 'model': 'stg_us__spot', 'name': 'stock_us_spot_em', 'named': true,
     'has_market_id': true},
] %}

with sightings as (
    {% for dataset in datasets %}
        select
            '{{ dataset.market }}' as market,
            symbol,
            trade_date,
            {{ 'name_zh' if dataset.named else 'null::varchar as name_zh' }},
            {{ 'eastmoney_market_id' if dataset.has_market_id
                else 'null::varchar as eastmoney_market_id' }},
            '{{ dataset.name }}' as dataset
        from {{ ref(dataset.model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

seen as (
    select
        market,
        symbol,
        min(trade_date) as first_seen_date,
        max(trade_date) as last_seen_date,
        arg_max(name_zh, trade_date) filter (where name_zh is not null) as name_zh,
        arg_max(eastmoney_market_id, trade_date) filter (
            where eastmoney_market_id is not null
        ) as eastmoney_market_id,
        string_agg(distinct dataset, ', ' order by dataset) as seen_in
    from sightings
    group by market, symbol
),

seed as (
    select * from {{ ref('listings') }}
),

listings as (
    select
        coalesce(seen.market, seed.market) as market,
        coalesce(seen.symbol, seed.symbol) as symbol,
        seen.first_seen_date,
        seen.last_seen_date,
        seen.name_zh,
        seen.seen_in,
        seen.eastmoney_market_id,
        seed.exchange as seed_exchange,
        seed.company_id as seed_company_id,
        seed.share_class as seed_share_class,
        seed.is_company_basis as seed_is_company_basis,
        seed.listing_id is not null as is_seeded
    from seen
    full join seed on seen.market = seed.market and seen.symbol = seed.symbol
),

-- The exchange from the code itself: Shanghai 6xxxxx (688/689 STAR included), Shenzhen 0xxxxx
-- and 3xxxxx (ChiNext), Beijing 4xxxxx, 8xxxxx and 92xxxx (docs/akshare-reference.md §1.2).
-- A US ticker the seed does not know takes eastmoney's market id. Any other code stays null,
-- and the not_null test on exchange fails and names it rather than guess.
with_exchange as (
    select
        *,
        case
            when market = 'a_share' and regexp_full_match(symbol, '6[0-9]{5}') then 'SSE'
            when market = 'a_share' and regexp_full_match(symbol, '[03][0-9]{5}') then 'SZSE'
            when market = 'a_share' and regexp_full_match(symbol, '([48][0-9]|92)[0-9]{4}')
                then 'BSE'
            when market = 'hong_kong' then 'HKEX'
            when market = 'us'
                then coalesce(
                    seed_exchange,
                    case eastmoney_market_id
                        when '105' then 'NASDAQ'
                        when '106' then 'NYSE'
                        when '107' then 'NYSEARCA'
                    end
                )
        end as exchange
    from listings
)

select
    exchange || ':' || symbol as listing_id,
    -- A listing no seed row names is its own company. Its id is derived from the listing, so it
    -- is stable from run to run and unique as the listing is, and it reads like the seed's ids
    -- (lower-case ASCII, no colon: `sse_601138`), which the charts can print (no Chinese glyphs
    -- in the default fonts). Add a seed row to join it with other listings or rename it.
    coalesce(seed_company_id, lower(exchange || '_' || symbol)) as company_id,
    exchange,
    market,
    symbol,
    case market when 'a_share' then 'CNY' when 'hong_kong' then 'HKD' when 'us' then 'USD' end
        as currency,
    -- The seed's class where it has one (H for the Hong Kong listing of an A+H company); every
    -- A-share listing is class A; else unknown.
    coalesce(seed_share_class, case when market = 'a_share' then 'A' end) as share_class,
    -- A listing that is its own company counts toward it.
    coalesce(seed_is_company_basis, true) as is_company_basis,
    name_zh,
    first_seen_date,
    last_seen_date,
    seen_in,
    is_seeded
from with_exchange
