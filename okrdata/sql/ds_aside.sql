-- ds_aside: what is kept but shown in no quarter: objectives without a dated period (Rolling,
-- Backlog, an unreadable label) with their key results, and work items (initiatives,
-- deliverables) under a key result or objective.
with undated as (
    select *
    from stg_okrs
    where objective_id is not null and team is not null
      and objective_id not in (select objective_id from stg_objective_quarters)
),
final as (
    select
        'undated' as kind,
        objective_id,
        coalesce(objective, objective_id) as objective,
        team,
        quarter_raw as period,
        kr_id,
        key_result,
        _sid,
        _row
    from undated
    union all
    select 'work', objective_id, objective, team, period, kr_id, title, _sid, _row
    from stg_work
)
select * exclude (_sid, _row) from final
order by kind, _sid, _row
