-- The demo market's hidden truth: what really happened underneath the synthetic returns and
-- inspections. Written only by `market-oversight demo`; read only by backtests. The risk engine
-- must never read this schema when scoring.
create schema if not exists demo_truth;

-- One row per demo location and simulated month (while registered).
create table demo_truth.location_months (
    location_id varchar not null,
    period date not null,                    -- first day of the month
    health double not null,                  -- latent health, about 0 (failing) .. 1 (thriving)
    staffing_crisis boolean not null,        -- a staffing crisis is under way
    manager_absent boolean not null,         -- no registered manager in post
    fee_pressure boolean not null,           -- fees paid below what the home needs
    owner_distress boolean not null,         -- the provider (owner) is in financial distress
    suspended boolean not null,              -- council placements suspended
    true_rating varchar,                     -- the rating a full inspection would give this month
    primary key (location_id, period)
);

-- One row per true event: observable outcomes and their hidden causes.
create table demo_truth.events (
    location_id varchar not null,
    event_date date not null,
    event_type varchar not null,             -- downgrade | closure | suspension | staffing_crisis |
                                             -- manager_change | owner_distress | fee_pressure
    detail varchar                           -- e.g. the new rating of a downgrade
);
