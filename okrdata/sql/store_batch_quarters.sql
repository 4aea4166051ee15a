-- The quarters one batch contains (no row when there is no such batch).
select b.quarters
from batches as b
where b.batch_id = $batch_id
