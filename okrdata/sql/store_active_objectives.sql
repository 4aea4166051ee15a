-- The objectives in force (see the active_objectives view in store_schema.sql). Every column
-- the file has: a store written before a column was added (source_progress) still reads, the
-- missing column empty (model.conform).
select t.* exclude (batch_id)
from active_objectives as t
