-- Risk scores and flags without primary-key indexes.
-- Keeping the (as_of, location_id[, flag]) index up to date cost more than computing the scores on a
-- national warehouse (bench/risk_score.py): every stored date grows the index and every re-score
-- deletes from it. The keys stay unique because the engine replaces a date's rows in one
-- transaction (delete the date, insert the staged rows, which are one per location and flag);
-- tests/risk/test_risk_scoring.py checks it. Existing rows are kept.

-- One row per location and as-of date.
create table risk_scores_unkeyed (
    as_of date not null,
    location_id varchar not null,
    likelihood double not null,              -- sum of likelihood flag points (0..100)
    impact double not null,                  -- sum of impact flag points (0..100)
    computed_rag varchar not null,           -- red | amber | green
    flags varchar[] not null,                -- names of the flags raised
    thresholds_hash varchar not null,        -- which thresholds file produced it
    scored_at timestamp not null
);

insert into risk_scores_unkeyed
select as_of, location_id, likelihood, impact, computed_rag, flags, thresholds_hash, scored_at
from risk_scores
order by as_of, location_id;

drop table risk_scores;

alter table risk_scores_unkeyed rename to risk_scores;

-- One row per location, as-of date and flag raised, with its evidence.
create table risk_flags_unkeyed (
    as_of date not null,
    location_id varchar not null,
    flag varchar not null,                   -- e.g. low_occupancy
    domain varchar not null,                 -- quality | sustainability | impact
    points double not null,                  -- its contribution to likelihood or impact
    value double,                            -- the measured value, where numeric
    threshold double,                        -- the threshold it crossed, where numeric
    evidence json not null,                  -- values, dates and sources behind it
    message varchar not null                 -- one plain-English sentence
);

insert into risk_flags_unkeyed
select as_of, location_id, flag, domain, points, value, threshold, evidence, message
from risk_flags
order by as_of, location_id, flag;

drop table risk_flags;

alter table risk_flags_unkeyed rename to risk_flags;
