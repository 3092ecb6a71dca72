-- Casework, kept in its own file beside the warehouse: the app writes here in short transactions
-- while the nightly load holds the warehouse. Every row says who and when.

create table notes (
    note_id uuid primary key default gen_random_uuid(),
    location_id varchar not null,
    body varchar not null,
    author varchar not null,
    created_at timestamp not null default current_timestamp
);

create table actions (
    action_id uuid primary key default gen_random_uuid(),
    location_id varchar not null,
    title varchar not null,
    owner varchar not null,
    due_date date not null,
    status varchar not null default 'open',      -- open | done | cancelled
    created_by varchar not null,
    created_at timestamp not null default current_timestamp,
    updated_by varchar,
    updated_at timestamp
);

-- The council's own quality assessments (quality visits).
create table quality_assessments (
    assessment_id uuid primary key default gen_random_uuid(),
    location_id varchar not null,
    visit_date date not null,
    rating varchar not null,                     -- canonical CQC-style label (vocab.RATINGS)
    summary varchar,
    assessor varchar not null,
    created_at timestamp not null default current_timestamp
);

create table placement_suspensions (
    suspension_id uuid primary key default gen_random_uuid(),
    location_id varchar not null,
    imposed_on date not null,
    reason varchar not null,
    imposed_by varchar not null,
    lifted_on date,
    lift_reason varchar,
    lifted_by varchar,
    created_at timestamp not null default current_timestamp
);

-- A contract manager's judgement over the computed RAG, until it expires or is withdrawn.
create table rag_overrides (
    override_id uuid primary key default gen_random_uuid(),
    location_id varchar not null,
    rag varchar not null,                        -- red | amber | green
    reason varchar not null,
    expires_on date not null,
    created_by varchar not null,
    created_at timestamp not null default current_timestamp,
    withdrawn_by varchar,
    withdrawn_at timestamp
);

-- Append-only record of every write, upload and sign-in.
create table audit_log (
    logged_at timestamp not null default current_timestamp,
    actor varchar not null,
    action varchar not null,
    target varchar,
    detail json
);
