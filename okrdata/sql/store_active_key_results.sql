-- The key results in force (see the active_key_results view in store_schema.sql). Every column
-- the file has: a store written before a column was added (current_as_of, source_progress)
-- still reads, the missing column empty (model.conform).
select t.* exclude (batch_id)
from active_key_results as t
