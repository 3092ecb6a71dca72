-- Each location's RAG at its latest score dated in the week.
-- params: week_start, week_end
select location_id, rag
from mart.risk_history
where as_of between $week_start and $week_end
qualify row_number() over (partition by location_id order by as_of desc) = 1
