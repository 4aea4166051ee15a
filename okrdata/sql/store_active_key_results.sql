-- The key results in force (see the active_key_results view in store_schema.sql).
select
    t.kr_id,
    t.objective_id,
    t.key_result,
    t.kr_owner,
    t.metric_type,
    t.start_value,
    t.target_value,
    t.current_value,
    t.unit,
    t.weight,
    t.current_as_of,
    t.source_progress
from active_key_results as t
