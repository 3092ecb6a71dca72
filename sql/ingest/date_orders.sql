-- Which way round one file writes its dates, from the dates only one way round can read: day first
-- (DD/MM/YYYY, 25/03/2026) or month first (MM/DD/YYYY, 03/25/2026). A date both ways can read
-- (04/03/2026) tells nothing. Reads temp view stage_dates (row_number, field, text), the cells of
-- the file's date columns (ingest/date_order.py); the first $shown rows of each are named.
-- Grain: one row per date field with a date only one way round can read.
-- params: shown
with slashed as (
    select
        row_number,
        field,
        regexp_extract(trim(text), '^(\d{1,2})/(\d{1,2})/\d{4}(?:[ T].*)?$', ['first', 'second']) as parts
    from stage_dates
    where text like '%/%/%'
),

numbered as (
    select
        row_number,
        field,
        try_cast(nullif(parts.first, '') as integer) as first,
        try_cast(nullif(parts.second, '') as integer) as second
    from slashed
),

final as (
    select
        field,
        count(*) filter (where first between 13 and 31 and second between 1 and 12) as day_first,
        min(row_number, $shown) filter (where first between 13 and 31 and second between 1 and 12)
            as day_first_rows,
        count(*) filter (where second between 13 and 31 and first between 1 and 12) as month_first,
        min(row_number, $shown) filter (where second between 13 and 31 and first between 1 and 12)
            as month_first_rows
    from numbered
    group by field
    having day_first + month_first > 0
)

select * from final
order by field
