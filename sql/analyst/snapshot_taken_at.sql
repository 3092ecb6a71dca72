-- When the analysts' snapshot was taken (UTC), as publish_snapshot recorded it in the copy.
-- Grain: one row (a snapshot has one meta.snapshot row).
select taken_at_utc
from meta.snapshot
