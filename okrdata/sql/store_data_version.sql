-- A number that changes with every import and restore: the latest event's id (0 when none).
select coalesce(max(event_id), 0) as data_version
from events
