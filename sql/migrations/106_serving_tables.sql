-- Tables the app reads at first paint that depend on the warehouse alone (not on live casework, nor
-- on the day): refilled from sql/serving/<table>.sql each time a serving copy is published
-- (store.refresh_serving_tables), so that a page reads them instead of computing them from whole
-- tables of the market on every render. Jobs and analysts read the marts; only the app reads these.
create schema serving;

-- Each location's latest CQC overall rating, and the flags raised at the latest score (the latest
-- as-of date of main.risk_scores): causes (quality and sustainability) and impact items apart, each
-- largest first. Read by the watchlist and the group pages (provider, brand).
-- Grain: one row per location with an overall rating or a flag at the latest score.
create table serving.location_latest (
    location_id varchar primary key,
    latest_overall_rating varchar,
    causes varchar[],                        -- null: no cause flag at the latest score
    impacts varchar[]                        -- null: no impact flag at the latest score
);

-- What "find anything" searches: every location, provider and CQC brand of the register, with the
-- text a search matches (haystack: lower case, punctuation taken out) and its name likewise
-- (plain_name, for ranking an exact name first). Read by sql/queries/search.sql.
-- Grain: one row per location, provider and brand (kind says which).
create table serving.search_entries (
    kind varchar not null,                   -- location, provider or brand
    id varchar not null,                     -- its CQC ID
    name varchar,
    provider_name varchar,                   -- a brand's: only when it has one provider
    postcode varchar,                        -- locations only
    local_authority varchar,                 -- providers and brands: only when all in one
    service_kind varchar,                    -- providers and brands: only when all of one kind
    is_active boolean,                       -- providers and brands: any location registered
    locations bigint not null,
    haystack varchar,
    plain_name varchar,
    primary key (kind, id)
);
