-- ds_aside: what is kept but shown in no quarter: objectives without a dated period (Rolling,
-- Backlog, an unreadable label) with their key results, and work items (initiatives,
-- deliverables) under a key result or objective.
with undated as (
    select *
    from stg_okrs
    where objective_id is not null and team is not null
      and objective_id not in (select objective_id from stg_objective_quarters)
),
titles as (
    select objective_id, min(objective) as objective
    from stg_okrs
    where objective_id is not null
    group by objective_id
),
final as (
    select
        'undated' as kind,
        objective_id,
        coalesce(objective, objective_id) as objective,
        team,
        quarter_raw as period,
        kr_id,
        key_result as title,
        _sid,
        _row
    from undated
    union all
    select
        'work',
        w.objective_id,
        coalesce(w.objective, t.objective),
        w.team,
        w.period,
        w.kr_id,
        w.title,
        w._sid,
        w._row
    from stg_work as w
    left join titles as t using (objective_id)
)
select * from final
order by kind, _sid, _row
