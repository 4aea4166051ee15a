-- ds_objectives: one row per objective and quarter it is shown in, as given: the defaults
-- (department, okr_type, level) are filled in one place, model.settle. An objective spanning
-- quarters keeps its id in every quarter it is listed in, marked with its period (see
-- stg_periods); its parent is named by its own id too.
with firsts as (
    -- the first row of each id (by _sid, _row; one of the rows an input row became): found
    -- by an aggregate, then the row by its rowid (a window sorting every row with its
    -- columns took seconds at 20,000 teams)
    select s.*
    from stg_okrs as s
    semi join (
        select arg_min(rowid, _sid::bigint * 4294967296 + _row) as first
        from stg_okrs
        where objective_id is not null and team is not null
        group by objective_id
    ) as f on f.first = s.rowid
),
listed as (
    select f.* exclude (quarter), q.quarter, q.period
    from firsts as f
    join stg_objective_quarters as q using (objective_id)
),
final as (
    select
        o.objective_id,
        coalesce(o.objective, o.objective_id) as objective,
        o.quarter,
        o.team,
        o.department,
        o.parent_objective_id,
        o.objective_owner,
        o.okr_type,
        o.level,
        o.origin,
        o.objective_source_progress as source_progress,
        o.period
    from listed as o
)
select * from final
order by quarter, objective_id
