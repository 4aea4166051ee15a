-- Append the registered frame _incoming (objectives) to the store, tagged with its batch.
insert into objectives (
    batch_id,
    objective_id, objective, quarter, team, department, parent_objective_id,
    objective_owner, okr_type, level, origin, source_progress, period
)
select
    $batch_id as batch_id,
    objective_id, objective, quarter, team, department, parent_objective_id,
    objective_owner, okr_type, level, origin, source_progress, period
from _incoming
