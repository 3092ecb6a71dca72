-- Risk scores per location and as-of date, and the flags each decomposes into.

-- One row per location and as-of date.
create table risk_scores (
    as_of date not null,
    location_id varchar not null,
    likelihood double not null,              -- sum of likelihood flag points (0..100)
    impact double not null,                  -- sum of impact flag points (0..100)
    computed_rag varchar not null,           -- red | amber | green
    flags varchar[] not null,                -- names of the flags raised
    thresholds_hash varchar not null,        -- which thresholds file produced it
    scored_at timestamp not null,
    primary key (as_of, location_id)
);

-- One row per location, as-of date and flag raised, with its evidence.
create table risk_flags (
    as_of date not null,
    location_id varchar not null,
    flag varchar not null,                   -- e.g. low_occupancy
    domain varchar not null,                 -- quality | sustainability | impact
    points double not null,                  -- its contribution to likelihood or impact
    value double,                            -- the measured value, where numeric
    threshold double,                        -- the threshold it crossed, where numeric
    evidence json not null,                  -- values, dates and sources behind it
    message varchar not null,                -- one plain-English sentence
    primary key (as_of, location_id, flag)
);
