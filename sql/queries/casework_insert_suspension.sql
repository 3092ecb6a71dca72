-- params: location_id, imposed_on, reason, imposed_by, scope, categories, review_on
insert into placement_suspensions (location_id, imposed_on, reason, imposed_by, scope, categories, review_on)
values ($location_id, $imposed_on, $reason, $imposed_by, $scope, $categories, $review_on)
returning cast(suspension_id as varchar)
