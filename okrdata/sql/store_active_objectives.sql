-- The objectives in force (see the active_objectives view in store_schema.sql).
select
    t.objective_id,
    t.objective,
    t.quarter,
    t.team,
    t.department,
    t.parent_objective_id,
    t.objective_owner,
    t.okr_type,
    t.level,
    t.origin,
    t.source_progress
from active_objectives as t
