-- The one definition of the market filter that the overview and watchlist pages offer (area,
-- ICB area, kind of service): a location is in it when it matches every filter chosen, and a
-- filter left empty (null) means any. Read by sql/queries/overview_*.sql and watchlist.sql.
create macro in_market_filter(local_authority, icb_name, service_kind,
                              chosen_local_authority, chosen_icb_name, chosen_service_kind) as
    (chosen_local_authority is null or local_authority = chosen_local_authority)
    and (chosen_icb_name is null or icb_name = chosen_icb_name)
    and (chosen_service_kind is null or service_kind = chosen_service_kind);

-- The one definition of a location registered on a day: registered by then (or its registration
-- date not known) and not deregistered by then. Read by the overview's figures as at a date.
create macro registered_on(registration_date, deregistration_date, day) as
    (registration_date is null or registration_date <= day)
    and (deregistration_date is null or deregistration_date > day);
