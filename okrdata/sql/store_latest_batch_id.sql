-- The newest batch's id (0 on an empty store).
select coalesce(max(batch_id), 0) as batch_id
from batches
