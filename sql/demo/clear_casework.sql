-- Remove the casework an earlier demo build wrote (and only that), before writing it again.
delete from placement_suspensions where imposed_by = 'demo';
delete from quality_assessments where assessor = 'demo';
