-- stg_work: initiatives, projects and deliverables, kept as work under a key result or
-- objective (never counted as objectives): from tool-export converters, and okrs rows whose
-- type or level says initiative, project, deliverable or task.
create or replace table stg_work as
select
    okr_clean(w.objective_id) as objective_id,
    okr_clean(w.objective) as objective,
    okr_clean(w.team) as team,
    okr_clean(w.period) as period,
    okr_clean(w.kr_id) as kr_id,
    okr_clean(w.title) as title,
    w._sid,
    w._row
from src_work as w
union all
select objective_id, objective, team, quarter_raw, null, work_title, _sid, _row
from stg_okrs
where is_work;
