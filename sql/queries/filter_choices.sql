-- The local authorities, ICBs and service kinds present, for the filters.
select distinct local_authority, icb_name, service_kind
from mart.register
where is_active
order by local_authority, icb_name, service_kind
