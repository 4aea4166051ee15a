-- Append the registered frame _incoming (key_results) to the store, tagged with its batch.
insert into key_results (
    batch_id,
    kr_id, objective_id, key_result, kr_owner, metric_type, start_value, target_value,
    current_value, unit, weight, current_as_of, source_progress, quarter, period
)
select
    $batch_id as batch_id,
    kr_id, objective_id, key_result, kr_owner, metric_type, start_value, target_value,
    current_value, unit, weight, current_as_of, source_progress, quarter, period
from _incoming
