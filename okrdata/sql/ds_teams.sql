-- ds_teams: one row per team of the org chart (the first row of a repeated team wins).
select team, department, parent_team, lead
from stg_teams
where team is not null
qualify row_number() over (partition by team order by _sid, _row) = 1
order by team
