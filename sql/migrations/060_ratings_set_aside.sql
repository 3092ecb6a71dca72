-- Numbered after every other migration: 011 seeds ingest_batches with a positional insert.
-- Issue 17: a rating that is not a rating (a pre-2014 compliance judgement such as `No action`, or an
-- unknown word) is set aside on its own; its location and other ratings load. Each load counts them.
-- Loads of other datasets read no ratings, so theirs is 0.
alter table ingest_batches add column ratings_set_aside bigint default 0;
