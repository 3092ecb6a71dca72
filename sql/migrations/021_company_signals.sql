-- Optional company-filing signals (accounts overdue, insolvency notices), loaded from a file with
-- `market-oversight risk signals FILE`. One row per provider (or company number), signal and date.
create table company_signals (
    provider_id varchar,                     -- CQC provider ID, where the file gives it
    companies_house_number varchar,          -- else matched through cqc_providers
    signal varchar not null,                 -- accounts_overdue | confirmation_overdue | insolvency_notice | ...
    signal_date date not null,               -- the date the signal became public
    detail varchar,
    source varchar not null,                 -- the file it was loaded from
    loaded_at timestamp not null
);
