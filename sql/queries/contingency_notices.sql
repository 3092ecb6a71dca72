-- Every CQC Market Oversight notice recorded against one provider, newest first (the casework file, live).
-- Grain: one row per notice.
-- params: provider_id
with final as (
    select
        cast(notice_id as varchar) as notice_id,
        notice_on,
        kind,
        note,
        recorded_by,
        created_at
    from oversight_notices
    where provider_id = $provider_id
)

select * from final
order by notice_on desc, created_at desc
