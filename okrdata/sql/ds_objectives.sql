-- ds_objectives: one row per objective and quarter it is shown in (an objective spanning
-- quarters has a copy per quarter, see stg_periods); department from the okrs, else the teams
-- table; level given, else inferred (aligned-to with no parent: company; aligned-to:
-- department; team). A parent is the parent's copy in the same quarter, else its first copy.
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
teams as (
    select team, department
    from stg_teams
    where team is not null
    qualify row_number() over (partition by team order by _sid, _row) = 1
),
linked as (
    select c.*, pc.parent_copy
    from copies as c
    left join parent_copies as pc using (objective_copy)
),
parents as (
    select distinct parent_copy as objective_copy
    from linked
    where parent_copy is not null
),
final as (
    select
        o.objective_copy as objective_id,
        coalesce(o.objective, o.objective_id) as objective,
        o.quarter,
        o.team,
        coalesce(o.department, t.department, 'Unassigned') as department,
        o.parent_copy as parent_objective_id,
        o.objective_owner,
        coalesce(o.okr_type, 'aspirational') as okr_type,
        coalesce(
            o.level,
            case
                when p.objective_copy is not null and o.parent_copy is null then 'company'
                when p.objective_copy is not null then 'department'
                else 'team'
            end
        ) as level,
        o.origin
    from linked as o
    left join teams as t on t.team = o.team
    left join parents as p on p.objective_copy = o.objective_copy
)
select * from final
order by quarter, objective_id
