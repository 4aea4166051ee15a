-- The checkins in force (see the active_checkins view in store_schema.sql).
select
    t.kr_id,
    t.date,
    t.value,
    t.confidence,
    t.status,
    t.target_value,
    t.comment,
    t.author
from active_checkins as t
