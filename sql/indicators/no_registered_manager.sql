-- Quality: the CQC register records no registered manager. The register keeps no history of this,
-- so the flag is raised only for as-of dates on or after the register snapshot it comes from.
with unmanaged as (
    select location_id, snapshot_date
    from stage_locations
    where has_registered_manager = false
      and snapshot_date <= $as_of
),

final as (
    select
        location_id,
        'no_registered_manager' as flag,
        $no_registered_manager_domain as domain,
        $no_registered_manager_points as points,
        cast(null as double) as value,
        cast(null as double) as threshold,
        json_object('register_snapshot', snapshot_date, 'source', 'cqc_locations') as evidence,
        format('No registered manager on the CQC register of {}', long_date(snapshot_date)) as message
    from unmanaged
)

select * from final
