-- ds_dependencies: usable dependencies between two named teams; a key result spanning
-- quarters is named by its copy in the dependency's quarter, else its first copy.
with deps as (
    select * from stg_dependencies
    where team is not null and depends_on_team is not null
),
final as (
    select
        d.team,
        d.depends_on_team,
        coalesce(
            mine.kr_copy,
            (select min(q.kr_copy) from stg_kr_quarters as q where q.kr_id = d.kr_id),
            d.kr_id
        ) as kr_id,
        coalesce(
            theirs.kr_copy,
            (select min(q.kr_copy) from stg_kr_quarters as q where q.kr_id = d.depends_on_kr_id),
            d.depends_on_kr_id
        ) as depends_on_kr_id,
        d.description,
        d.status,
        d.due_date,
        d.quarter
    from deps as d
    left join stg_kr_quarters as mine on mine.kr_id = d.kr_id and mine.quarter = d.quarter
    left join stg_kr_quarters as theirs
        on theirs.kr_id = d.depends_on_kr_id and theirs.quarter = d.quarter
)
select * from final
order by team, depends_on_team
