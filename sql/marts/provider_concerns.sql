-- Provider concerns for analysts: each concern with its stage now, what it covers, and its
-- meetings, improvement plan and linked safeguarding enquiries counted (casework as of the last job).
-- Grain: one row per concern.
with latest_stage as (
    select concern_id, stage, entered_on
    from casework_mirror.concern_stages
    qualify row_number() over (partition by concern_id order by entered_on desc, created_at desc) = 1
),

stage_path as (
    select concern_id, list(stage order by entered_on, created_at) as stages_entered
    from casework_mirror.concern_stages
    group by concern_id
),

meetings as (
    select concern_id, count(*) as meetings, max(meeting_date) as last_meeting_on
    from casework_mirror.concern_meetings
    group by concern_id
),

plan as (
    select
        concern_id,
        count(*) as plan_actions,
        count(*) filter (where done_on is null) as plan_actions_open,
        min(due_date) filter (where done_on is null) as next_action_due_on
    from casework_mirror.concern_actions
    group by concern_id
),

enquiries as (
    select concern_id, count(*) as enquiries, max(enquiry_date) as last_enquiry_on
    from casework_mirror.concern_enquiries
    group by concern_id
),

covered as (
    -- the locations a concern covers: its own, or every registered location of its provider
    select c.concern_id, count(r.location_id) as locations_covered
    from casework_mirror.concerns as c
    left join mart.register as r
        on r.location_id = c.location_id
        or (r.provider_id = c.provider_id and r.is_active)
    group by c.concern_id
),

final as (
    select
        c.concern_id,
        case when c.location_id is not null then 'location' else 'provider' end as concern_about,
        c.location_id,
        r.location_name,
        coalesce(c.provider_id, r.provider_id) as provider_id,
        coalesce(p.provider_name, r.provider_name) as provider_name,
        s.stage,
        s.entered_on as stage_since,
        sp.stages_entered,
        c.opened_on,
        c.closed_on,
        c.closed_on is null as is_open,
        c.lead_officer,
        c.agencies,
        v.locations_covered,
        coalesce(m.meetings, 0) as meetings,
        m.last_meeting_on,
        coalesce(a.plan_actions, 0) as plan_actions,
        coalesce(a.plan_actions_open, 0) as plan_actions_open,
        a.next_action_due_on,
        coalesce(e.enquiries, 0) as enquiries,
        e.last_enquiry_on
    from casework_mirror.concerns as c
    left join latest_stage as s using (concern_id)
    left join stage_path as sp using (concern_id)
    left join meetings as m using (concern_id)
    left join plan as a using (concern_id)
    left join enquiries as e using (concern_id)
    left join covered as v using (concern_id)
    left join mart.register as r on r.location_id = c.location_id
    left join main.cqc_providers as p on p.provider_id = c.provider_id
)

select * from final
