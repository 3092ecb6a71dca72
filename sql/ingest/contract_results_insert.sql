-- The judge's count per batch and rule, beside the SQL check's count (parallel lists, one element
-- per batch and rule).
-- params: batch, dataset, rule, engine, success, n, sql_n
insert into contract_results (batch_id, dataset, rule, engine, success, unexpected_count, sql_unexpected_count)
select unnest($batch), $dataset, unnest($rule), unnest($engine), unnest($success), unnest($n), unnest($sql_n)
