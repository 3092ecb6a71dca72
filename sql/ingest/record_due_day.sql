-- The due day in force ([returns] due_day_of_following_month), recorded in the one-row returns
-- calendar that mart.expected_returns and the late_missing_returns indicator read.
-- params: due_day, set_at
update returns_calendar
set due_day_of_following_month = $due_day, set_at = $set_at
