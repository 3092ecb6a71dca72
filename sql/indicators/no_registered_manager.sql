-- Quality: no registered manager at $as_of. Where CQC records since when the manager has been absent
-- (registered_manager_absent_date, from the API), the flag is raised from that date on, its value the
-- whole months absent at $as_of. Where no date is known the register keeps no history of it, so the
-- flag is raised only for as-of dates on or after the register snapshot that records no manager.
-- params: as_of, no_registered_manager_domain, no_registered_manager_points
-- reads: stage_locations
with unmanaged as (
    select
        location_id,
        snapshot_date,
        registered_manager_absent_date as absent_since,
        case when registered_manager_absent_date is not null
             then date_diff('month', registered_manager_absent_date, cast($as_of as date))
                  - case when day(cast($as_of as date)) < day(registered_manager_absent_date)
                              and last_day(cast($as_of as date)) <> cast($as_of as date)
                         then 1 else 0 end
        end as months_absent
    from stage_locations
    where (registered_manager_absent_date is not null and registered_manager_absent_date <= $as_of)
       or (registered_manager_absent_date is null and has_registered_manager = false
           and snapshot_date <= $as_of)
),

final as (
    select
        location_id,
        'no_registered_manager' as flag,
        $no_registered_manager_domain as domain,
        $no_registered_manager_points as points,
        cast(months_absent as double) as value,
        cast(null as double) as threshold,
        json_object('absent_since', absent_since, 'months_absent', months_absent,
                    'register_snapshot', snapshot_date,
                    'source', case when absent_since is not null
                                   then 'cqc_locations registered_manager_absent_date'
                                   else 'cqc_locations' end) as evidence,
        case when absent_since is not null
             then format('No registered manager since {} ({} month{})', long_date(absent_since), months_absent,
                         case when months_absent = 1 then '' else 's' end)
             else format('No registered manager on the CQC register of {}', long_date(snapshot_date))
        end as message
    from unmanaged
)

select * from final
