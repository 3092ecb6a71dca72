-- Remove the casework an earlier demo build wrote (and only that), before writing it again.
delete from placement_suspensions where imposed_by = 'demo';
delete from quality_assessments where assessor = 'demo';
delete from concern_enquiries where recorded_by = 'demo';
delete from concern_actions where created_by = 'demo';
delete from concern_meetings where recorded_by = 'demo';
delete from concern_stages where recorded_by = 'demo';
delete from concerns where opened_by = 'demo';
delete from contingency_plans where recorded_by = 'demo';
delete from oversight_notices where recorded_by = 'demo';
