-- A benchmark given again (same year, category and benchmark) replaces the earlier figure.
delete from benchmarks as b
using stage_loaded as s
where b.financial_year = s.financial_year
  and b.care_category = s.care_category
  and b.benchmark = s.benchmark
