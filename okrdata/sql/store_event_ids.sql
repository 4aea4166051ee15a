-- Every recorded event's id (the journal settles its pending entries against them).
select e.event_id
from events as e
