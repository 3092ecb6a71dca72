-- Provider concerns: the council's staged process when concerns about a service or a provider
-- mount (enhanced monitoring, serious concerns, large-scale enquiry: vocab.CONCERN_STAGES), with
-- its multi-agency meetings, improvement plan and linked safeguarding enquiries. Every row says who
-- and when; the audit log seals each one (audit.SEALED).

-- One row per concern, about one location or one provider (every one of its locations).
create table concerns (
    concern_id uuid primary key default gen_random_uuid(),
    location_id varchar,
    provider_id varchar,
    opened_on date not null,
    lead_officer varchar not null,
    agencies varchar[] not null,
    opened_by varchar not null,
    closed_on date,
    close_reason varchar,
    closed_by varchar,
    created_at timestamp not null default current_timestamp,
    check ((location_id is null) <> (provider_id is null))
);

-- One row per stage a concern entered: its stage on a day is the last one entered by then.
create table concern_stages (
    stage_id uuid primary key default gen_random_uuid(),
    concern_id uuid not null,
    stage varchar not null,                      -- vocab.CONCERN_STAGES
    entered_on date not null,
    reason varchar not null,
    recorded_by varchar not null,
    created_at timestamp not null default current_timestamp
);

-- One row per multi-agency meeting.
create table concern_meetings (
    meeting_id uuid primary key default gen_random_uuid(),
    concern_id uuid not null,
    meeting_date date not null,
    attendees varchar not null,
    decisions varchar not null,
    recorded_by varchar not null,
    created_at timestamp not null default current_timestamp
);

-- One row per action of the improvement plan.
create table concern_actions (
    plan_action_id uuid primary key default gen_random_uuid(),
    concern_id uuid not null,
    title varchar not null,
    owner varchar not null,
    due_date date not null,
    done_on date,
    created_by varchar not null,
    created_at timestamp not null default current_timestamp,
    done_by varchar
);

-- One row per linked safeguarding enquiry: its reference and date only, never personal data.
create table concern_enquiries (
    enquiry_id uuid primary key default gen_random_uuid(),
    concern_id uuid not null,
    reference varchar not null,
    enquiry_date date not null,
    recorded_by varchar not null,
    created_at timestamp not null default current_timestamp
);
