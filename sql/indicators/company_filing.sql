-- Sustainability (optional): a company-filing signal about the location's provider dated within the
-- $company_filing_months months up to $as_of (from table company_signals, loaded from a file).
-- params: as_of, company_filing_months, company_filing_domain, company_filing_points
-- reads: stage_locations
with signals as (
    select
        coalesce(s.provider_id, p.provider_id) as provider_id,
        s.signal,
        s.signal_date,
        s.detail,
        s.source
    from main.company_signals as s
    left join main.cqc_providers as p
        on s.provider_id is null
       and ltrim(trim(p.companies_house_number), '0') = ltrim(trim(s.companies_house_number), '0')
    where s.signal_date <= $as_of
      and s.signal_date > cast($as_of - to_months(cast($company_filing_months as integer)) as date)
),

per_location as (
    select
        l.location_id,
        count(*) as signals,
        list(struct_pack(signal := s.signal, date := s.signal_date, detail := s.detail,
                         file := s.source) order by s.signal_date desc) as found,
        max(s.signal_date) as latest_date,
        arg_max(s.signal, s.signal_date) as latest_signal
    from stage_locations as l
    join signals as s using (provider_id)
    group by l.location_id
),

final as (
    select
        location_id,
        'company_filing' as flag,
        $company_filing_domain as domain,
        $company_filing_points as points,
        cast(signals as double) as value,
        cast(null as double) as threshold,
        json_object('signals', found, 'source', 'company_signals') as evidence,
        format('Provider company filing signal: {} on {}', replace(latest_signal, '_', ' '), long_date(latest_date))
            as message
    from per_location
)

select * from final
