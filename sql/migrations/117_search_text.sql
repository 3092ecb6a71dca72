-- The one way the search (sql/queries/search.sql) compares text: lower case, and every character
-- that is not a letter, a digit or a space dropped, on both sides ("St. Anne's" and "st annes" are
-- the same text).
create macro search_text(s) as regexp_replace(lower(s), '[^\p{L}\p{N} ]', '', 'g');

-- Of a group of locations (a provider, a CQC brand): the value all of them share, else null (a
-- provider in two councils shows no council). An aggregate: use it in a grouped select.
create macro sole_value(x) as case when count(distinct x) = 1 then any_value(x) end;
