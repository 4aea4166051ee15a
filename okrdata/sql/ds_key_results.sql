-- ds_key_results: one row per key result (the first row of a repeated id wins).
select
    kr_id,
    objective_id,
    coalesce(key_result, kr_id) as key_result,
    kr_owner,
    metric_type,
    start_value,
    target_value,
    current_value,
    unit,
    greatest(weight, 0.0) as weight
from stg_okrs
where kr_id is not null and objective_id is not null and quarter is not null
qualify row_number() over (partition by kr_id order by _sid, _row) = 1
order by objective_id, kr_id
