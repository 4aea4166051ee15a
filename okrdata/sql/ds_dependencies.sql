-- ds_dependencies: usable dependencies between two named teams.
select team, depends_on_team, kr_id, depends_on_kr_id, description, status, due_date, quarter
from stg_dependencies
where team is not null and depends_on_team is not null
order by team, depends_on_team
