-- Append the registered frame _incoming (checkins) to the store, tagged with its batch.
insert into checkins (
    batch_id,
    kr_id, date, value, confidence, status, target_value, comment, author
)
select
    $batch_id as batch_id,
    kr_id, date, value, confidence, status, target_value, comment, author
from _incoming
