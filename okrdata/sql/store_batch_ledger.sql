-- What was read of one batch's files (the import ledger, JSON; null before it was kept).
select ledger
from batches
where batch_id = $batch_id
