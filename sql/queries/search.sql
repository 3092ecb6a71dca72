-- Find anything: locations (by name, postcode, CQC location ID or CQC brand name), providers (by name
-- or CQC provider ID) and CQC brands (groups of providers, by name or CQC brand ID) whose text holds
-- every word typed, in any case, each word anywhere (a part of a word will do); punctuation is
-- ignored on both sides ("St Annes" finds "St. Anne's", "1234" finds "1-234..."), and a postcode
-- matches with or without its space. Best first: an exact CQC ID, then the exact name, then names
-- that start with what was typed, then the rest; registered before deregistered; by name.
-- The text searched, and each name without its punctuation, are made when the serving copy is
-- published (serving.search_entries, sql/serving/search_entries.sql).
-- $typed: the text as typed; $kinds: which of 'location', 'provider' and 'brand' to look for; $limit.
-- The text rule (search_text) is the macro of migration 117.
-- Grain: one row per location, provider or brand matched (kind says which).
-- params: typed, kinds, limit
with typed as (
    select
        search_text(trim($typed)) as text,
        list_filter(string_split(regexp_replace(lower(trim($typed)), '[^\p{L}\p{N} ]', ' ', 'g'), ' '),
                    lambda w: w <> '') as words,
        lower(trim($typed)) as exact_id
),

matched as (
    select c.*
    from serving.search_entries as c
    cross join typed as t
    where list_contains($kinds, c.kind)
      and len(t.words) > 0
      and list_bool_and(list_transform(t.words, lambda w: contains(c.haystack, w)))
),

ranked as (
    select
        m.*,
        case
            when lower(m.id) = t.exact_id then 0
            when m.plain_name = t.text then 1
            when starts_with(m.plain_name, t.text) then 2
            else 3
        end as rank
    from matched as m
    cross join typed as t
),

final as (
    select kind, id, name, provider_name, postcode, local_authority, service_kind, is_active, locations, rank
    from ranked
    order by rank, is_active desc, lower(name), kind, id
    limit $limit
)

select * from final
