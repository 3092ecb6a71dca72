-- One location, with its provider, its latest score and the data's dates.
select
    l.*,
    c.as_of as scored_on,
    c.rag,
    c.computed_rag,
    c.override_rag,
    c.likelihood,
    c.impact,
    c.override_by,
    c.override_reason,
    c.override_expires_on
from mart.locations as l
left join mart.risk_current as c using (location_id)
where l.location_id = $location_id
