-- The tables of schema `serving` (migration 106) are filled in each published serving copy alone
-- (store.publish_serving_copy), no longer in the warehouse: refilled there by a transaction of their
-- own after a job's, a job killed between the two commits left them behind the tables they are made
-- from. In the warehouse they stay empty; what they held there was a copy of an earlier state.
delete from serving.location_latest;
delete from serving.search_entries;
