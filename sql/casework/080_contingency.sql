-- The contingency register (issue 21): per provider, whether the council holds a contingency plan
-- for its failure, who owns it, when it was last reviewed and when the next review is due; and the
-- CQC Market Oversight notices (Care Act 2014 s.55-56) recorded against a provider. Both are
-- append-only: a new review is a new row, the register now is each provider's latest. Every row
-- says who and when; the audit log seals each one (audit.SEALED).

-- One row per review of a provider's contingency plan (or a record that none is held).
create table contingency_plans (
    plan_id uuid primary key default gen_random_uuid(),
    provider_id varchar not null,
    plan_held boolean not null,
    owner varchar not null,
    reviewed_on date not null,
    next_review_on date not null,
    note varchar,
    recorded_by varchar not null,
    created_at timestamp not null default current_timestamp,
    check (next_review_on > reviewed_on)
);

-- One row per CQC Market Oversight notice about a provider (vocab.OVERSIGHT_NOTICE_KINDS).
create table oversight_notices (
    notice_id uuid primary key default gen_random_uuid(),
    provider_id varchar not null,
    notice_on date not null,
    kind varchar not null,
    note varchar not null,
    recorded_by varchar not null,
    created_at timestamp not null default current_timestamp
);
