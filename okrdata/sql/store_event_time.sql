-- When an event happened.
select e.happened_at
from events as e
where e.event_id = $event_id
