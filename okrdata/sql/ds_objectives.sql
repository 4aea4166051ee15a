-- ds_objectives: one row per objective and quarter it is shown in (an objective spanning
-- quarters has a copy per quarter, see stg_periods), as given: the defaults (department,
-- okr_type, level) are filled in one place, model.settle. A parent is the parent's copy in the
-- same quarter, else its first copy.
with rows as (
    select * from stg_okrs
    where objective_id is not null and team is not null
),
firsts as (
    select *
    from rows
    qualify row_number() over (partition by objective_id order by _sid, _row) = 1
),
copies as (
    select f.* exclude (quarter), q.quarter, q.objective_copy
    from firsts as f
    join stg_objective_quarters as q using (objective_id)
),
parent_copies as (
    select
        c.objective_copy,
        coalesce(
            same.objective_copy,
            (select min(p.objective_copy) from stg_objective_quarters as p
             where p.objective_id = c.parent_objective_id),
            c.parent_objective_id
        ) as parent_copy
    from copies as c
    left join stg_objective_quarters as same
        on same.objective_id = c.parent_objective_id and same.quarter = c.quarter
    where c.parent_objective_id is not null
),
linked as (
    select c.*, pc.parent_copy
    from copies as c
    left join parent_copies as pc using (objective_copy)
),
final as (
    select
        o.objective_copy as objective_id,
        coalesce(o.objective, o.objective_id) as objective,
        o.quarter,
        o.team,
        o.department,
        o.parent_copy as parent_objective_id,
        o.objective_owner,
        o.okr_type,
        o.level,
        o.origin,
        o.objective_source_progress as source_progress
    from linked as o
)
select * from final
order by quarter, objective_id
