-- The one way a date is written in a sentence the risk engine stores (flag messages): GOV.UK style,
-- "13 July 2026", not ISO.
create macro long_date(d) as strftime(cast(d as date), '%-d %B %Y');
