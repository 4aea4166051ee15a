-- The dependencies in force (see the active_dependencies view in store_schema.sql).
select
    t.team,
    t.depends_on_team,
    t.kr_id,
    t.depends_on_kr_id,
    t.description,
    t.status,
    t.due_date,
    t.quarter
from active_dependencies as t
