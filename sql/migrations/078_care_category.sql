-- The one definition of a location's care category, as fee rates name categories: nursing where a
-- CQC service type is "... with nursing", dementia where a specialism names dementia. Read by the
-- risk engine's staging (sql/risk/stage_locations.sql, as at a date) and by mart.service_capacity
-- (the register now); market_oversight.vocab.CARE_CATEGORIES lists the names.
create macro offers_nursing(service_types) as
    len(list_filter(service_types, lambda s: lower(s) like '%with nursing%')) > 0;

create macro offers_dementia(specialisms) as
    len(list_filter(specialisms, lambda s: lower(s) like '%dementia%')) > 0;

create macro care_category(service_kind, nursing, dementia) as
    case
        when service_kind = 'home_care' then 'home_care'
        when nursing and dementia then 'nursing_dementia'
        when nursing then 'nursing'
        when dementia then 'residential_dementia'
        else 'residential'
    end;
