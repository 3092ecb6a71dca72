-- Append the rows of a company-signals file (staged as temp table signal_file).
-- params: source
insert into main.company_signals
    (provider_id, companies_house_number, signal, signal_date, detail, source, loaded_at)
select
    nullif(trim(provider_id), ''),
    nullif(trim(companies_house_number), ''),
    lower(trim(signal)),
    cast(signal_date as date),
    detail,
    $source,
    current_timestamp
from signal_file
