-- The one rule of what a scope's ID covers: one location, every location of a provider (the
-- registered company), or every location of a CQC brand. Read by the group pages' queries
-- (sql/queries/group_*.sql) and the failure rehearsal (sql/rehearsal/).
create macro in_scope(scope, id, location_id, provider_id, brand_id) as
    case scope
        when 'location' then location_id
        when 'provider' then provider_id
        when 'brand' then brand_id
    end = id;
