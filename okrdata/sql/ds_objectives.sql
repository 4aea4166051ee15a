-- ds_objectives: one row per objective; department from the okrs, else the teams table;
-- level given, else inferred (aligned-to with no parent: company; aligned-to: department; team).
with rows as (
    select * from stg_okrs
    where objective_id is not null and quarter is not null and team is not null
),
firsts as (
    select *
    from rows
    qualify row_number() over (partition by objective_id order by _sid, _row) = 1
),
teams as (
    select team, department
    from stg_teams
    where team is not null
    qualify row_number() over (partition by team order by _sid, _row) = 1
),
parents as (
    select distinct parent_objective_id as objective_id
    from firsts
    where parent_objective_id is not null
),
final as (
    select
        o.objective_id,
        coalesce(o.objective, o.objective_id) as objective,
        o.quarter,
        o.team,
        coalesce(o.department, t.department, 'Unassigned') as department,
        o.parent_objective_id,
        o.objective_owner,
        coalesce(o.okr_type, 'aspirational') as okr_type,
        coalesce(
            o.level,
            case
                when p.objective_id is not null and o.parent_objective_id is null then 'company'
                when p.objective_id is not null then 'department'
                else 'team'
            end
        ) as level,
        o.origin
    from firsts as o
    left join teams as t on t.team = o.team
    left join parents as p on p.objective_id = o.objective_id
)
select * from final
order by quarter, objective_id
