-- Quality: safeguarding concerns and complaints in the last 3 months exceed the 3 months before by
-- at least $concerns_rising_threshold.
-- params: concerns_rising_domain, concerns_rising_points, concerns_rising_threshold
-- reads: stage_return_summary
with halves as (
    select
        location_id,
        concerns_3m as recent,
        concerns_previous_3m as earlier,
        returns_3m as recent_months,
        returns_previous_3m as earlier_months
    from stage_return_summary
),

final as (
    select
        location_id,
        'concerns_rising' as flag,
        $concerns_rising_domain as domain,
        $concerns_rising_points as points,
        cast(recent - earlier as double) as value,
        cast($concerns_rising_threshold as double) as threshold,
        json_object('last_3_months', recent, 'previous_3_months', earlier,
                    'returns', recent_months + earlier_months,
                    'source', 'provider returns: safeguarding_concerns + complaints') as evidence,
        format('Concerns and complaints rose from {} to {} (last 3 months against the 3 before)',
               earlier, recent) as message
    from halves
    where recent_months > 0 and earlier_months > 0
      and recent - earlier >= $concerns_rising_threshold
)

select * from final
