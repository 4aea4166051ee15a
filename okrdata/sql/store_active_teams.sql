-- The teams in force (see the active_teams view in store_schema.sql).
select
    t.team,
    t.department,
    t.parent_team,
    t.lead
from active_teams as t
