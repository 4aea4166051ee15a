-- Append the registered frame _incoming (teams) to the store, tagged with its batch.
insert into teams (
    batch_id,
    team, department, parent_team, lead
)
select
    $batch_id as batch_id,
    team, department, parent_team, lead
from _incoming
