-- Append the registered frame _incoming (dependencies) to the store, tagged with its batch.
insert into dependencies (
    batch_id,
    team, depends_on_team, kr_id, depends_on_kr_id, description, status, due_date, quarter
)
select
    $batch_id as batch_id,
    team, depends_on_team, kr_id, depends_on_kr_id, description, status, due_date, quarter
from _incoming
