-- Every batch, newest first, with the quarters it is active for.
with in_force as (
    select batch_id, list(quarter order by quarter) as active_quarters
    from active
    group by batch_id
)
select
    b.batch_id,
    b.imported_at,
    coalesce(b.imported_by, '') as imported_by,
    b.files,
    array_to_string(b.quarters, ', ') as quarters,
    coalesce(array_to_string(f.active_quarters, ', '), '') as active_quarters,
    b.rows_objectives,
    b.rows_key_results,
    b.rows_checkins,
    b.rows_dependencies,
    b.rows_teams,
    b.content_hash
from batches as b
left join in_force as f on f.batch_id = b.batch_id
order by b.batch_id desc
