-- For each of the given quarters that has one, the batch in force.
select a.quarter, a.batch_id
from active as a
where list_contains($quarters, a.quarter)
