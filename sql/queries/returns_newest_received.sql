-- The day the newest return in the warehouse arrived (null before any returns are loaded): the
-- date up to which the warehouse knows who has sent what.
select cast(max(received_at) as date) as newest_received
from mart.expected_returns
